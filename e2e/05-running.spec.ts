import { expect, test } from "./support/fixtures";
import { buildReport, createToken } from "./support/api";

// Runs after 05-health-compliance, which judges lucid-rdp-monitor's pushed image: this file pushes a newer build.
test("the Pi reports what it runs: the image page and the overview show how far it is from the latest push", async ({ page, request }) => {
  const token = createToken("e2e-pi", ["builds:write", "deployments:write"]);
  const auth = { Authorization: `Bearer ${token}` };
  // The build 04-rebuild pushed to the loopback registry, with the digest the registry gave it.
  const history = (await (await request.get("/api/images/lucid-rdp-monitor")).json()) as { history: { builds: { id: number; pushed: boolean; digest: string | null }[] } };
  const previous = history.history.builds.find((b) => b.pushed && b.digest)!;
  expect(previous).toBeTruthy();
  // A newer push of the same image.
  const newer = `sha256:${"d".repeat(64)}`;
  const pushed = await request.post("/api/builds", { headers: auth, data: buildReport("lucid-rdp-monitor", 2, { metadata: { "containerimage.digest": newer, "image.name": "pickme/lucid-rdp-monitor:latest-arm64" } }) });
  expect(pushed.status(), await pushed.text()).toBe(201);
  const latest = ((await pushed.json()) as { id: number }).id;

  // What `docker compose ps --all --format json; docker compose images --format json; docker image inspect …` prints.
  const report = (digest: string) =>
    [
      JSON.stringify({ Service: "rdp-monitor", Name: "rdp-monitor", Project: "lucid", Image: "pickme/lucid-rdp-monitor:latest-arm64", State: "running", Health: "healthy", Status: "Up 3 hours (healthy)" }),
      JSON.stringify({ Service: "tor-proxy", Name: "tor-proxy", Project: "lucid", Image: "dperson/torproxy", State: "exited", Health: "", Status: "Exited (1) 2 hours ago" }),
      JSON.stringify([{ ID: `sha256:${"c".repeat(64)}`, ContainerName: "rdp-monitor", Repository: "pickme/lucid-rdp-monitor", Tag: "latest-arm64" }], null, 2),
      JSON.stringify([{ Id: `sha256:${"c".repeat(64)}`, RepoDigests: [`pickme/lucid-rdp-monitor@${digest}`] }], null, 2),
    ].join("\n");
  const send = (digest: string) => request.post("/api/deployments", { headers: { ...auth, "content-type": "application/x-ndjson" }, data: Buffer.from(report(digest)) });

  const first = await send(previous.digest!);
  expect(first.status(), await first.text()).toBe(201);
  await page.goto("/images/lucid-rdp-monitor");
  const running = page.getByTestId("running-state");
  await expect(running).toContainText("Container rdp-monitor (Up 3 hours (healthy), Docker health: healthy)");
  await expect(running.locator("[data-drift]")).toHaveText(new RegExp(`^running build #${previous.id}, 1 push behind #${latest}`));
  await page.getByTestId("deployment-section").screenshot({ path: "test-results/screenshots/image-running-behind.png" });

  await page.goto("/");
  await expect(page.getByTestId("count-deployed")).toHaveText("1");
  await expect(page.locator('li[data-image="lucid-rdp-monitor"] [data-testid=running]')).toContainText(`1 push behind #${latest}`);
  await expect(page.locator('[data-testid=phase-table] tr[data-phase="total"] [data-cell=deployed]')).toHaveText("1");
  await page.locator('li[data-image="lucid-rdp-monitor"]').screenshot({ path: "test-results/screenshots/overview-card-running.png" });

  expect((await send(newer)).status()).toBe(201);
  await page.goto("/images/lucid-rdp-monitor");
  await expect(running.locator("[data-drift]")).toHaveText(`up to date: build #${latest}`);

  // A report that is not Docker's output changes nothing.
  const bad = await request.post("/api/deployments", { headers: { ...auth, "content-type": "application/json" }, data: Buffer.from('{"containers": []}') });
  expect(bad.status()).toBe(400);
  await page.reload();
  await expect(running.locator("[data-drift]")).toHaveText(`up to date: build #${latest}`);
});

test("with LUCID_DOCKER_HOST, what runs is read from the Docker Engine API, for either image store", async ({ page, request }) => {
  const engine = `http://127.0.0.1:${process.env.E2E_ENGINE_PORT ?? 5056}`;
  // The two pushed builds of lucid-rdp-monitor, newest first: the loopback registry's and the one reported above.
  const history = (await (await request.get("/api/images/lucid-rdp-monitor")).json()) as { history: { builds: { id: number; pushed: boolean; digest: string | null }[] } };
  const [latest, previous] = history.history.builds.filter((b) => b.pushed && b.digest);
  const drift = page.getByTestId("running-state").locator("[data-drift]");
  try {
    // containerd store: the engine names the image by the previous push's index digest.
    expect((await request.put(`${engine}/_fixture`, { data: { store: "containerd", indexDigest: previous!.digest } })).status()).toBe(204);
    await page.goto("/images/lucid-rdp-monitor");
    await expect(async () => {
      await page.reload();
      await expect(drift).toHaveText(new RegExp(`^running build #${previous!.id}, 1 push behind #${latest!.id}`), { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    // Classic store: the config digest as ImageID, the new push's index digest among its RepoDigests.
    await request.put(`${engine}/_fixture`, { data: { store: "classic", indexDigest: latest!.digest } });
    await expect(async () => {
      await page.reload();
      await expect(drift).toHaveText(`up to date: build #${latest!.id}`, { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await page.getByTestId("deployment-section").screenshot({ path: "test-results/screenshots/image-running-engine.png" });
  } finally {
    await request.put(`${engine}/_fixture`, { data: { off: true } });
  }
});
