import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";

async function phaseRow(page: Page, phase: string) {
  const row = page.locator(`[data-testid=phase-table] tr[data-phase="${phase}"]`);
  return {
    required: await row.locator("[data-cell=required]").innerText(),
    completed: await row.locator("[data-cell=completed]").innerText(),
    text: await row.innerText(),
  };
}

test("overview shows the progress the build summary reports, computed from build records", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Lucid build plan" })).toBeVisible();

  const phase3 = await phaseRow(page, "3");
  expect([phase3.completed, phase3.required]).toEqual(["6", "6"]);
  expect(phase3.text).toContain("Complete");

  const phase4 = await phaseRow(page, "4");
  expect([phase4.completed, phase4.required]).toEqual(["2", "10"]);
  expect(phase4.text).toContain("In progress");

  for (const pending of ["1", "2", "5", "6"]) {
    const row = await phaseRow(page, pending);
    expect(row.completed).toBe("0");
    expect(row.text).toContain("Pending");
  }

  const total = await phaseRow(page, "total");
  expect([total.completed, total.required]).toEqual(["8", "35"]);
  await expect(page.getByTestId("overall-percent")).toHaveText("23%");
  await expect(page.locator("li[data-image]")).toHaveCount(35);

  const sessionApi = page.locator('li[data-image="lucid-session-api"]');
  await expect(sessionApi).toContainText("Pushed");
  await expect(sessionApi).toContainText("8090");
  await expect(page.locator('li[data-image="lucid-session-pipeline"]')).toContainText("Not built");

  await page.screenshot({ path: "test-results/screenshots/overview.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/screenshots/overview-dark-mobile.png", fullPage: false });
});

test("a green mark links to the build record it stands on", async ({ page }) => {
  await page.goto("/");
  await page.locator('li[data-image="lucid-session-api"]').getByRole("link", { name: /Build record/ }).click();
  await expect(page.getByRole("heading", { name: /Build #\d+ of Session API/ })).toBeVisible();
  await expect(page.getByText("Imported record")).toBeVisible();
  await expect(page.getByText("12.5 min", { exact: true })).toBeVisible();
  await expect(page.getByText("54.3 MB", { exact: true })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "pickme/lucid-session-api:latest-20251024-155132" })).toBeVisible();
  // The summary gives no start time and no digest: shown as not recorded, never invented.
  await expect(page.getByText("not recorded").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/build-record.png", fullPage: true });
});

test("the page is usable from the keyboard", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
});

test("GET /api/plan returns phases and totals", async ({ request }) => {
  const response = await request.get("/api/plan");
  expect(response.ok()).toBe(true);
  const body = await response.json();
  expect(body.totals).toMatchObject({ required: 35, completed: 8, percent: 23 });
  expect(body.phases.map((p: { number: number }) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
  const phase4 = body.phases[3];
  expect(phase4).toMatchObject({ name: "Phase 4", category: "Application Services", required: 10, completed: 2, status: "in_progress" });
  const api = phase4.images.find((i: { name: string }) => i.name === "lucid-session-api");
  expect(api).toMatchObject({ state: "pushed", dockerfile: "sessions/Dockerfile.api", context: "sessions", port: 8090 });
  expect(api.latestBuild).toMatchObject({ status: "succeeded", source: "imported", durationMs: 750000, reportedSizeBytes: 54300000 });
});
