import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./support/fixtures";

// Health is polled every second against 127.0.0.1 (playwright.config.ts); this test's service answers
// healthy, then 503, then healthy again, and the overview badge follows without a reload.

test("a service's health badge turns down after the threshold and recovers, without a reload", async ({ page }) => {
  let healthy = true;
  const service = http.createServer((_request, response) => {
    response.statusCode = healthy ? 200 : 503;
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ status: healthy ? "healthy" : "unhealthy" }));
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  const port = (service.address() as AddressInfo).port;
  try {
    await page.goto("/images/lucid-rdp-xrdp");
    const panel = page.getByTestId("health-panel");
    // The form starts open for an image that has no target yet (xrdp has no health path in the plan).
    const details = panel.locator("details", { has: page.locator("summary", { hasText: "Edit target" }) });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
    await panel.getByLabel("Port").fill(String(port));
    await panel.getByLabel("Health path").fill("/health");
    await panel.getByLabel("Expect JSON field (optional)").fill("status");
    await panel.getByLabel("…to equal").fill("healthy");
    await panel.getByRole("button", { name: "Save target" }).click();
    await expect(panel).toContainText(`http://127.0.0.1:${port}/health`);

    await page.goto("/");
    await expect(page.getByTestId("health-target")).toContainText("Health polled on http://127.0.0.1");
    const badge = page.locator('li[data-image="lucid-rdp-xrdp"] [data-testid=health]');
    await expect(badge).toContainText("Up", { timeout: 15_000 });
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    healthy = false;
    await expect(badge).toContainText("Down", { timeout: 15_000 });
    healthy = true;
    await expect(badge).toContainText("Up", { timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    await page.goto("/images/lucid-rdp-xrdp");
    await expect(page.getByTestId("health-panel")).toContainText("HTTP 503");
    await page.screenshot({ path: "test-results/screenshots/image-health.png", fullPage: true });
  } finally {
    service.close();
  }
});

test("compliance is measured from the Dockerfile and the pushed image, and shown beside the summary's claims", async ({ page, request }) => {
  const compliance = await (await request.get("/api/compliance?image=lucid-rdp-monitor")).json();
  const byRule = Object.fromEntries(compliance.findings.map((f: { rule: string; status: string }) => [f.rule, f.status]));
  expect(byRule).toMatchObject({ "dockerfile-present": "pass", "distroless-final-stage": "pass", "non-root-user": "pass", healthcheck: "pass" });
  // 04-rebuild pushed this image to the test registry: the pushed config is evidence too.
  expect(byRule["image-non-root-user"]).toBe("pass");

  await page.goto("/images/lucid-rdp-monitor");
  const section = page.getByTestId("compliance-table");
  await expect(section).toContainText("distroless-final-stage");
  await expect(section).toContainText("USER 65532:65532");
  await expect(section).toContainText("Image config");

  await page.goto("/images/lucid-vm");
  await expect(page.getByTestId("compliance-table")).toContainText("does not exist");

  await page.goto("/");
  await expect(page.getByText("Security compliance: measured, beside the summary's claims")).toBeVisible();
  // Without Compose files the read-only claim is "not checked", never "0%, 100 points short".
  const totals = page.getByTestId("compliance-totals");
  await expect(totals.locator('tr[data-measure="readOnly"]')).toContainText("not checked");
  await expect(totals.locator('tr[data-measure="readOnly"] [data-cell=measured]')).toHaveText("—");
  await expect(totals.locator('tr[data-measure="distroless"] [data-cell=measured]')).toContainText("%");
  await totals.screenshot({ path: "test-results/screenshots/compliance-totals.png" });
  await page.screenshot({ path: "test-results/screenshots/overview-full.png", fullPage: true });
});

// A service like Lucid's answers 200 with its own verdict in the body: the dashboard reads it, with no expectation set.
test("a 200 that says unhealthy is down, one that says degraded is amber, and 503 and a hang are down too", async ({ page }) => {
  let mode: "healthy" | "unhealthy" | "degraded" | "503" | "hang" = "healthy";
  const service = http.createServer((_request, response) => {
    if (mode === "hang") return; // never answers: the probe times out
    response.statusCode = mode === "503" ? 503 : 200;
    response.setHeader("content-type", "application/json");
    const body = {
      healthy: { status: "healthy", services: { mongodb: "up" } },
      unhealthy: { status: "unhealthy", services: { mongodb: "down", redis: "up" } },
      degraded: { status: "degraded", services: { redis: "degraded" } },
      "503": { status: "unhealthy" },
    }[mode];
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => service.listen(0, "127.0.0.1", resolve));
  const port = (service.address() as AddressInfo).port;
  try {
    await page.goto("/images/lucid-payout-router");
    const panel = page.getByTestId("health-panel");
    const details = panel.locator("details", { has: page.locator("summary", { hasText: "Edit target" }) });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
    await panel.getByLabel("Port").fill(String(port));
    await panel.getByLabel("Health path").fill("/health");
    await panel.getByRole("button", { name: "Save target" }).click();
    await expect(panel).toContainText(`http://127.0.0.1:${port}/health`);
    await expect(panel.getByTestId("judged-by")).toContainText("the body's status word");

    const state = panel.getByTestId("health-state");
    await expect(state).toContainText("Up", { timeout: 15_000 });

    mode = "unhealthy";
    await expect(state).toContainText("Down", { timeout: 15_000 });
    await expect(panel).toContainText('status "unhealthy"; down: mongodb');
    await expect(page.getByTestId("health-incidents")).toContainText("down");

    mode = "degraded";
    await expect(state).toContainText("Degraded", { timeout: 15_000 });
    await expect(state.locator("[data-health-state]")).toHaveAttribute("data-health-state", "degraded");
    await expect(page.getByTestId("health-incidents")).toContainText("degraded");

    mode = "503";
    await expect(state).toContainText(/Failing|Down/, { timeout: 15_000 });
    await expect(state).toContainText("Down", { timeout: 15_000 });
    await expect(panel).toContainText("HTTP 503");

    mode = "hang";
    await expect(panel).toContainText("Timed out", { timeout: 15_000 });
    await expect(state).toContainText("Down");

    const api = await (await page.request.get("/api/health")).json();
    const router = api.images.find((i: { name: string }) => i.name === "lucid-payout-router");
    expect(router.state).toBe("down");
    mode = "unhealthy";
    const lastError = async () => (await (await page.request.get("/api/health/lucid-payout-router")).json()).lastProbe?.error;
    await expect.poll(lastError, { timeout: 15_000 }).toBe('status "unhealthy"; down: mongodb');
    await page.screenshot({ path: "test-results/screenshots/image-health-body.png", fullPage: true });
  } finally {
    service.closeAllConnections();
    service.close();
  }
});

test("the status page shows every deployed service with its state, heartbeats and uptime, open incidents first, on a phone too", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Status" }).click();
  await expect(page).toHaveURL(/\/status$/);
  const counts = page.getByTestId("status-counts");
  await expect(counts).toBeVisible();
  // Most of the plan has never been pushed: counted as not deployed, not shown as down.
  await expect(counts.locator("[data-state=not_deployed] dd")).not.toHaveText("0");
  const services = page.getByTestId("status-services");
  const router = services.locator('[data-service="lucid-payout-router"]');
  await expect(router).toBeVisible();
  await expect(router).toContainText("24 h");
  await expect(router).toContainText("30 d");
  await expect(router.locator("[data-health-state]")).toHaveAttribute("data-health-state", /down|failing/);
  // Listed after the deployed ones, in grey, never as down.
  await expect(services.locator('[data-service="lucid-vm"] [data-health-state]')).toHaveAttribute("data-health-state", "not_deployed");
  // The payout router's service is gone (the test above closed it): its incident is open, and listed first.
  await expect(page.getByTestId("open-incidents")).toContainText("lucid-payout-router", { timeout: 15_000 });
  await page.screenshot({ path: "test-results/screenshots/status-desktop.png", fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(page.getByTestId("status-services")).toBeVisible();
  const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.document).toBeLessThanOrEqual(widths.viewport);
  await page.screenshot({ path: "test-results/screenshots/status-phone.png", fullPage: true });
});
