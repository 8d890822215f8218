import { expect, test } from "./support/fixtures";
import { buildReport, createToken } from "./support/api";

// Real builds: buildah builds the FROM scratch fixtures in e2e/fixtures/lucid-checkout and pushes them to the
// docker-registry on 127.0.0.1 that playwright.config.ts starts; the dashboard reads the push back from it.

test("Rebuild on a failed image streams the log and records what reached the registry", async ({ page, request }) => {
  const reporter = createToken("e2e-reporter");
  const failed = await request.post("/api/builds", {
    headers: { Authorization: `Bearer ${reporter}` },
    data: buildReport("lucid-rdp-monitor", 2, { status: "failed", pushed: false, exitCode: 1, failureReason: "network timeout" }),
  });
  expect(failed.status()).toBe(201);

  await page.goto("/");
  const card = page.locator('li[data-image="lucid-rdp-monitor"]');
  await expect(card).toContainText("Failed");
  await card.getByRole("button", { name: "Rebuild lucid-rdp-monitor" }).click();

  await expect(page).toHaveURL(/\/builds\/\d+$/);
  const log = page.getByTestId("build-log");
  await expect(log).toContainText("$ buildah", { timeout: 15_000 });
  await expect(log).toContainText("Verifying 127.0.0.1:5055/pickme/lucid-rdp-monitor:latest-arm64", { timeout: 60_000 });
  await expect(page.getByTestId("build-summary")).toContainText("succeeded, pushed", { timeout: 30_000 });
  await expect(page.getByTestId("build-state")).toContainText("Pushed");

  const registry = page.getByTestId("registry-table");
  await expect(registry.locator("tbody tr")).toHaveCount(2);
  await expect(registry.locator('tr[data-platform="linux/amd64"]')).toContainText("65532:65532");
  await expect(registry.locator('tr[data-platform^="linux/arm64"]')).toContainText("kB");
  await expect(page.getByText(/latest-\d{8}-\d{6}/).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/build-live.png", fullPage: true });

  await page.goto("/images/lucid-rdp-monitor");
  await expect(page.getByTestId("image-state")).toContainText("Pushed");
  // One build with sizes: one labelled bar per platform, not two overlapping dots.
  await expect(page.locator("[data-testid=size-chart][data-shape=bars] .recharts-bar-rectangle")).toHaveCount(2);
});

test("a broken Dockerfile fails with the builder's last lines shown, and the team is told once", async ({ page, request }) => {
  await page.goto("/images/lucid-rdp-controller");
  await page.getByRole("button", { name: "Build lucid-rdp-controller" }).click();
  await expect(page).toHaveURL(/\/builds\/\d+$/);
  await expect(page.getByTestId("build-summary")).toContainText("failed", { timeout: 60_000 });
  await expect(page.getByTestId("failure-reason")).toContainText("does-not-exist");
  await expect(page.getByTestId("build-log")).toContainText("does-not-exist.bin");
  await expect(page.getByTestId("build-state")).toContainText("Failed");
  await expect(page.getByRole("button", { name: "Rebuild lucid-rdp-controller" })).toBeVisible();

  // The errors are listed above the log; the builder's steps are folded, the failing ones open; cleanup is dimmed.
  const errors = page.getByTestId("log-errors");
  await expect(errors).toContainText("Error: 2 errors occurred:");
  await expect(errors).not.toContainText("image not known"); // the cleanup's own error is not the failure
  const failing = page.locator('[data-testid=build-log] details[data-status="error"]');
  await expect(failing).toHaveCount(2);
  await expect(failing.first()).toHaveAttribute("open", "");
  const passed = page.locator('[data-testid=build-log] details[data-status="done"]').first();
  await expect(passed).not.toHaveAttribute("open");
  await expect(page.locator('[data-testid=build-log] [data-mark="dim"]').filter({ hasText: "image not known" })).toHaveCount(1);
  await errors.getByRole("link").first().click();
  await expect(page).toHaveURL(/#L\d+$/);
  await page.screenshot({ path: "test-results/screenshots/build-failed.png", fullPage: true });

  // The team hears about it: the webhook receiver (e2e/notify-sink.ts) gets exactly one message naming the image and
  // linking to the build, signed, with an event id to dedupe on.
  const buildId = Number(/\/builds\/(\d+)/.exec(page.url())![1]);
  const failures = async () => {
    const received = (await (await request.get("http://127.0.0.1:5057/received")).json()) as { path: string; headers: Record<string, string>; body: string }[];
    return received.map((r) => ({ ...r, event: JSON.parse(r.body) })).filter((r) => r.event.type === "build.failed" && r.event.image === "lucid-rdp-controller");
  };
  await expect.poll(async () => (await failures()).length, { timeout: 15_000 }).toBe(1);
  const [message] = await failures();
  expect(message!.event).toMatchObject({ title: `lucid-rdp-controller: build #${buildId} failed`, url: `/builds/${buildId}`, data: { build: buildId } });
  expect(message!.event.text).toContain("does-not-exist");
  expect(message!.headers["x-lucid-signature"]).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  expect(message!.headers["x-lucid-event-id"]).toBe(message!.event.id);
});

test("the build API refuses what it cannot build safely and never starts a second build of one image", async ({ request, playwright, baseURL }) => {
  const token = createToken("e2e-runner", ["builds:run"]);
  const auth = { Authorization: `Bearer ${token}` };
  const before = (await (await request.get("/api/images/lucid-vm")).json()).history.total;

  for (const name of ["lucid-vm;rm -rf ~", "lucid-vm$(id)", "lucid-vm|true", "..%2F..%2Fetc"]) {
    const response = await request.post(`/api/images/${encodeURIComponent(name)}/builds`, { headers: auth });
    expect(response.status(), name).toBe(400);
    expect((await response.json()).error).toContain("not a valid image name");
  }
  // A planned image whose Dockerfile is not in the checkout is refused before anything is queued.
  const missing = await request.post("/api/images/lucid-vm/builds", { headers: auth });
  expect(missing.status()).toBe(422);
  expect((await missing.json()).error).toContain("does not exist in the checkout");
  expect((await (await request.get("/api/images/lucid-vm")).json()).history.total).toBe(before);

  // Nobody signed in and no token (the shared request context carries the admin's session cookie).
  const anonymousApi = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  expect((await anonymousApi.post("/api/images/lucid-rdp-monitor/builds")).status()).toBe(401);
  await anonymousApi.dispose();

  const first = await request.post("/api/images/lucid-rdp-monitor/builds", { headers: auth });
  const second = await request.post("/api/images/lucid-rdp-monitor/builds", { headers: auth });
  expect(first.status()).toBe(201);
  expect(second.status()).toBe(200);
  const [a, b] = [await first.json(), await second.json()];
  expect(b).toMatchObject({ id: a.id, created: false });

  await expect
    .poll(async () => (await (await request.get(`/api/builds/${a.id}`)).json()).status, { timeout: 60_000 })
    .toBe("succeeded");
  const finished = await (await request.get(`/api/builds/${a.id}`)).json();
  expect(finished.startedBy).toBe("token e2e-runner");
  expect(finished.sizes).toHaveLength(2);

  const cancelFinished = await request.post(`/api/builds/${a.id}/cancel`, { headers: auth });
  expect(cancelFinished.status()).toBe(409);
});

test("building a phase's incomplete images asks first, naming them; Escape queues nothing", async ({ page, request }) => {
  const states = async () => ((await (await request.get("/api/plan")).json()).phases[0].images as { name: string; state: string; latestBuild: { id: number } | null }[]).map((i) => `${i.name} ${i.state} ${i.latestBuild?.id ?? "-"}`);
  const before = await states();
  await page.goto("/");
  const phase1 = page.locator("#phase-1");
  await phase1.getByRole("button", { name: /^Build \d+ incomplete$/ }).click();
  const dialog = page.getByRole("dialog", { name: /^Queue \d+ builds\?$/ });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("lucid-base");
  await page.screenshot({ path: "test-results/screenshots/confirm-phase-build.png" });
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect(await states()).toEqual(before);
});
