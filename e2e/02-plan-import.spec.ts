import { lucidPlanDocument } from "../lib/testing/lucid-fixtures";
import { expect, test } from "./support/fixtures";

// The real document where present, else the built-in plan written out (the same plan, line for line).
const realPlan = lucidPlanDocument();

test("a malformed document is refused with its line and changes nothing", async ({ page, request }) => {
  const before = await (await request.get("/api/plan")).json();
  const broken = realPlan.replace("-f sessions/Dockerfile.api \\\n", "");
  await page.goto("/plan/import");
  await page.getByLabel("Build-commands document").fill(broken);
  await page.getByRole("button", { name: "Preview import" }).click();
  const issues = page.getByTestId("import-issues");
  await expect(issues).toBeVisible();
  const brokenLine = broken.split("\n").findIndex((l, i, all) => l.includes("docker buildx build") && all[i + 2]?.includes("lucid-session-api:latest-$(")) + 1;
  await expect(issues).toContainText(`line ${brokenLine}:`);
  await expect(issues).toContainText("-f");
  expect(await (await request.get("/api/plan")).json()).toEqual(before);
});

test("importing the document the dashboard already holds changes nothing", async ({ page }) => {
  await page.goto("/plan/import");
  await page.getByLabel("Build-commands document").fill(realPlan);
  await page.getByRole("button", { name: "Preview import" }).click();
  await expect(page.getByTestId("import-preview")).toContainText("already holds exactly this plan");
  await expect(page.getByRole("button", { name: "Import plan" })).toHaveCount(0);
});

test("preview then confirm imports a changed plan and the overview follows", async ({ page }) => {
  const renamed = realPlan.replace("### **18. Session API**", "### **18. Session API Service**");
  await page.goto("/plan/import");
  await page.getByLabel("Build-commands document").fill(renamed);
  await page.getByRole("button", { name: "Preview import" }).click();
  const preview = page.getByTestId("import-preview");
  await expect(preview).toContainText("0 image(s) to add, 1 to update, 0 to remove, 34 unchanged");
  await expect(page.getByTestId("import-changes")).toHaveText("~ lucid-session-api: title");
  await page.screenshot({ path: "test-results/screenshots/plan-import-preview.png", fullPage: true });

  await page.getByRole("button", { name: "Import plan" }).click();
  await expect(page.getByRole("status")).toContainText("1 updated");
  await page.goto("/");
  const card = page.locator('li[data-image="lucid-session-api"]');
  await expect(card).toContainText("Session API Service");
  // The rename keeps the image's build record, port and progress.
  await expect(card).toContainText("Pushed");
  await expect(card).toContainText("8090");
  await expect(page.getByTestId("overall-percent")).toHaveText("23%");
});
