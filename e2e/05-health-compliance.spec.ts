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
  await page.screenshot({ path: "test-results/screenshots/overview-full.png", fullPage: true });
});
