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
  await page.locator('li[data-image="lucid-session-api"]').getByRole("link", { name: /^Build #\d+/ }).click();
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

  // "/" focuses the search, which filters as you type and keeps the filter in the address.
  await page.keyboard.press("/");
  const search = page.getByRole("searchbox", { name: "Search images by name" });
  await expect(search).toBeFocused();
  await search.pressSequentially("session-api");
  await expect(page.locator("li[data-image]")).toHaveCount(1);
  await expect(page.getByTestId("filter-count")).toHaveText("1 of 35 images");
  await expect(page).toHaveURL(/[?&]q=session-api/);
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.locator("li[data-image]")).toHaveCount(35);

  // "?" lists the shortcuts, Escape closes the list, "g s" goes to the status page.
  await page.locator("h1").click();
  await page.keyboard.press("?");
  await expect(page.getByTestId("shortcuts")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("shortcuts")).toBeHidden();
  await page.keyboard.press("g");
  await page.keyboard.press("s");
  await expect(page).toHaveURL(/\/status$/);
  // "/" on another page goes to the overview's search, focused.
  await page.keyboard.press("/");
  await expect(page).toHaveURL(/\/#search$/);
  await expect(page.getByRole("searchbox", { name: "Search images by name" })).toBeFocused();
  await page.locator("h1").click();
  await page.keyboard.press("g");
  await page.keyboard.press("s");
  await expect(page).toHaveURL(/\/status$/);
  await page.keyboard.press("g");
  await page.keyboard.press("o");
  await expect(page.getByRole("heading", { name: "Lucid build plan" })).toBeVisible();
});

test("the stat cards link to the images behind them, and the filters combine", async ({ page }) => {
  await page.goto("/");
  await page.locator('a[data-stat="pushed"]').click();
  await expect(page).toHaveURL(/\?status=pushed/);
  await expect(page.locator("li[data-image]")).toHaveCount(8);
  await expect(page.locator("li[data-image]").filter({ hasNotText: "Pushed" })).toHaveCount(0);
  await expect(page.locator('a[data-stat="pushed"]')).toHaveAttribute("aria-current", "true");

  const filters = page.getByTestId("overview-filters");
  await filters.getByLabel("Phase").selectOption("3");
  await expect(page.locator("li[data-image]")).toHaveCount(6);
  await filters.getByLabel("Status").selectOption("not_built");
  await expect(page.getByTestId("no-match")).toBeVisible();
  await expect(page.getByTestId("filter-count")).toHaveText("0 of 35 images");
  // Reloading the filtered address shows the same view.
  await page.reload();
  await expect(page.getByTestId("no-match")).toBeVisible();
  await expect(page.getByTestId("overview-filters").getByLabel("Status")).toHaveValue("not_built");
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

test("progress over time: the summary's undated pushes counted from the start, and no projection without history", async ({ page, request }) => {
  const progress = await (await request.get("/api/plan/progress")).json();
  expect(progress).toMatchObject({ required: 35, pushed: 8, undated: 8, points: [], projection: { ok: false } });
  await page.goto("/");
  const summary = page.getByTestId("burn-up-summary");
  await expect(summary).toContainText("8 of 35 images pushed");
  await expect(summary).toContainText("8 of the pushes have no recorded time");
  await expect(page.getByTestId("projection")).toContainText("No projection: too little history to project: 0 images first pushed in the last 14 days");
  await expect(page.getByTestId("burn-up-chart")).toBeVisible();
});
