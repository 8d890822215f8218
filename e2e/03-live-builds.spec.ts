import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { buildReport, createToken } from "./support/api";

// Runs after 01 and 02, which read the default data: this file adds build records.

async function markLoaded(page: Page) {
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
}
const stillSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

test("a build posted through the API appears in the table and the charts without a reload", async ({ page, request }) => {
  const token = createToken("e2e-live");
  await page.goto("/");
  const timeBars = page.locator("[data-testid=build-time-chart] .recharts-bar-rectangle");
  const sizeBars = page.locator("[data-testid=image-size-chart] .recharts-bar-rectangle");
  // From the summary: Session API and RDP Server Manager have a build time and an unattributed size.
  await expect(timeBars).toHaveCount(2);
  await expect(sizeBars).toHaveCount(2);
  await markLoaded(page);

  const response = await request.post("/api/builds", {
    headers: { Authorization: `Bearer ${token}` },
    data: buildReport("lucid-session-pipeline", 6, {
      sizes: { "linux/arm64": 41_200_000, "linux/amd64": 43_900_000 },
      metadata: { "containerimage.digest": `sha256:${"ab".repeat(32)}`, "image.name": "pickme/lucid-session-pipeline:latest-arm64" },
    }),
  });
  expect(response.status()).toBe(201);
  const { id } = await response.json();

  await expect(timeBars).toHaveCount(3, { timeout: 15_000 });
  await expect(sizeBars).toHaveCount(4);
  const phase4 = page.locator('[data-testid=phase-table] tr[data-phase="4"] [data-cell=completed]');
  await expect(phase4).toHaveText(/^3( \/ 10)?$/); // " / 10" is only shown on narrow screens
  await expect(page.getByTestId("overall-percent")).toHaveText("26%");
  await expect(page.locator('li[data-image="lucid-session-pipeline"]')).toContainText("Pushed");
  await expect(page.locator('li[data-image="lucid-session-pipeline"]')).toContainText(`Build #${id}`);

  // The figures table (what a screen reader reads) carries the same numbers.
  await page.getByRole("button", { name: "Table" }).click();
  const row = page.locator('[data-testid=figures-table] tr[data-image="lucid-session-pipeline"]');
  await expect(row).toContainText("6");
  await expect(row).toContainText("41.2");
  await expect(row).toContainText("43.9");
  expect(await stillSameDocument(page)).toBe(true);

  await page.getByRole("button", { name: "Chart" }).click();
  await page.getByLabel("Filter by phase").selectOption("4");
  await expect(timeBars).toHaveCount(3);
  await page.getByLabel("Filter by phase").selectOption("2");
  await expect(page.getByText("No build times recorded for these images yet.")).toBeVisible();
  await page.getByLabel("Filter by phase").selectOption("");
  await page.screenshot({ path: "test-results/screenshots/overview-with-builds.png", fullPage: true });
});

test("the image page shows history and charts and follows new builds", async ({ page, request }) => {
  const token = createToken("e2e-image");
  await page.goto("/images/lucid-session-pipeline");
  await expect(page.getByRole("heading", { name: "Session Pipeline" })).toBeVisible();
  await expect(page.getByTestId("history-total")).toHaveText("1 build");
  await expect(page.locator("[data-testid=duration-chart] .recharts-bar-rectangle")).toHaveCount(1);
  await markLoaded(page);

  const failed = buildReport("lucid-session-pipeline", 3, {
    status: "failed",
    pushed: false,
    exitCode: 1,
    failureReason: "RUN pip install -r requirements.txt: exit code 1",
  });
  const response = await request.post("/api/builds", { headers: { Authorization: `Bearer ${token}` }, data: failed });
  expect(response.status()).toBe(201);

  await expect(page.getByTestId("history-total")).toHaveText("2 builds", { timeout: 15_000 });
  await expect(page.getByTestId("image-state")).toContainText("last rebuild failed"); // pushed before, so it stays counted (README: what counts as complete)
  await expect(page.getByTestId("history-table")).toContainText("RUN pip install -r requirements.txt: exit code 1");
  await expect(page.locator("[data-testid=duration-chart] .recharts-bar-rectangle")).toHaveCount(2);
  // One build with sizes: a labelled bar per platform (two dots at one point would overlap).
  await expect(page.locator("[data-testid=size-chart][data-shape=bars] .recharts-bar-rectangle")).toHaveCount(2);
  await expect(page.getByTestId("duration-legend")).toHaveText(/succeeded\s*failed/);
  expect(await stillSameDocument(page)).toBe(true);
  await page.screenshot({ path: "test-results/screenshots/image-page.png", fullPage: true });
});

test("a failed rebuild of a pushed image does not lower completion, and says so beside the pushed state", async ({ page, request }) => {
  const token = createToken("e2e-rebuild-fails");
  await page.goto("/");
  const percent = await page.getByTestId("overall-percent").textContent();
  const phase4 = page.locator('[data-testid=phase-table] tr[data-phase="4"] [data-cell=completed]');
  const completed = await phase4.textContent();
  await markLoaded(page);

  // The Session API was pushed (the build summary); a rebuild of it fails.
  const response = await request.post("/api/builds", {
    headers: { Authorization: `Bearer ${token}` },
    data: buildReport("lucid-session-api", 3, { status: "failed", pushed: false, exitCode: 1, failureReason: "pip install: no matching distribution for fastapi==99" }),
  });
  expect(response.status()).toBe(201);

  const card = page.locator('li[data-image="lucid-session-api"]');
  await expect(card.locator("[data-progress]")).toHaveAttribute("data-progress", "pushed-failed", { timeout: 15_000 });
  await expect(card).toContainText("Pushed");
  await expect(card).toContainText("last rebuild failed");
  await expect(card.getByTestId("failure-reason")).toContainText("no matching distribution for fastapi==99");
  await expect(card.getByRole("button", { name: /Rebuild/ })).toBeVisible();
  await expect(page.getByTestId("overall-percent")).toHaveText(percent!);
  await expect(phase4).toHaveText(completed!);
  expect(await stillSameDocument(page)).toBe(true);

  const plan = await (await request.get("/api/plan")).json();
  const api = plan.phases.flatMap((p: { images: { name: string }[] }) => p.images).find((i: { name: string }) => i.name === "lucid-session-api");
  expect(api).toMatchObject({ state: "failed", shipped: true });
  await page.goto("/images/lucid-session-api");
  await expect(page.getByTestId("image-failure-reason")).toContainText("the pushed image is still the one before it");
});
