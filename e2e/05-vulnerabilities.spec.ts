import { readFileSync } from "node:fs";
import { expect, test } from "./support/fixtures";
import { createToken } from "./support/api";

// A scan report posted by CI for the build 04-rebuild pushed: counts in the browser, the fixable filter, the overview
// badge and the rule; a report on another digest is refused and changes nothing.

const TRIVY = readFileSync("lib/vulnerabilities/fixtures/trivy.json", "utf8");
const FIXTURE_INDEX = `sha256:${"2".repeat(64)}`;

test("a Trivy report posted for a pushed build shows its counts, fixable first, on the image page and the overview", async ({ page, request }) => {
  const reporter = createToken("e2e-scanner");
  const auth = { Authorization: `Bearer ${reporter}` };
  const image = await (await request.get("/api/images/lucid-rdp-monitor", { headers: auth })).json();
  const pushed = image.history.builds.find((b: { pushed: boolean; digest: string | null }) => b.pushed && b.digest);
  expect(pushed, "04-rebuild pushed lucid-rdp-monitor").toBeTruthy();

  // Scanned some other image: refused, nothing kept.
  const wrong = await request.post(`/api/builds/${pushed.id}/scans`, { headers: { ...auth, "content-type": "application/json" }, data: Buffer.from(TRIVY) });
  expect(wrong.status()).toBe(422);
  expect((await wrong.json()).error).toContain(`not build #${pushed.id}`);
  const garbage = await request.post(`/api/builds/${pushed.id}/scans`, { headers: { ...auth, "content-type": "application/json" }, data: Buffer.from('{"hello": 1}') });
  expect(garbage.status()).toBe(422);
  expect((await (await request.get("/api/images/lucid-rdp-monitor/vulnerabilities", { headers: auth })).json()).scan).toBeNull();

  const report = TRIVY.replaceAll(FIXTURE_INDEX, pushed.digest);
  const posted = await request.post(`/api/builds/${pushed.id}/scans`, { headers: { ...auth, "content-type": "application/json" }, data: Buffer.from(report) });
  expect(posted.status()).toBe(201);
  expect(await posted.json()).toMatchObject({ build: pushed.id, scanner: "trivy", findings: 7, counts: { critical: 1, high: 2, fixableCriticalHigh: 3 }, digest: pushed.digest });

  await page.goto("/images/lucid-rdp-monitor#vulnerabilities");
  const section = page.getByTestId("vulnerabilities");
  await expect(section.locator('[data-severity="critical"]').first()).toContainText("1");
  await expect(section.getByTestId("severity-counts").locator('[data-severity="high"]')).toContainText("2 with a fix");
  await expect(section.getByTestId("scan-source")).toContainText("trivy 0.58.1 (trivy-json)");
  await expect(section.getByTestId("scan-source")).toContainText("database date not in the report");
  const rows = section.getByTestId("findings-table").locator("tbody tr");
  await expect(rows).toHaveCount(7);
  await expect(rows.first()).toContainText("CVE-2024-45490");
  await expect(rows.first()).toContainText("2.5.0-1+deb12u1");
  await section.getByLabel("Fixable only").check();
  await expect(rows).toHaveCount(3);
  await expect(section.getByTestId("findings-shown")).toContainText("3 of 7 findings");
  await expect(page.locator('tr[data-rule="no-fixable-critical-high"]')).toContainText("3 critical or high vulnerabilities have a fix");
  await section.screenshot({ path: "test-results/screenshots/image-vulnerabilities.png" });

  await page.goto("/");
  await expect(page.locator('li[data-image="lucid-rdp-monitor"] [data-testid=vulnerabilities]')).toContainText("1 critical · 2 high");
  await expect(page.locator('li[data-image="lucid-rdp-monitor"] [data-testid=vulnerabilities]')).toContainText("3 fixable");
  await expect(page.locator('[data-testid=phase-table] tr[data-phase="total"] [data-cell=vulnerabilities]')).toContainText("1 of 35 scanned");
});
