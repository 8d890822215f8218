import { expect, test } from "./support/fixtures";
import { ADMIN_STATE } from "./support/auth";

// Runs before 05-health-compliance and leaves no Compose files configured, so later specs see no deployment.
test.describe.configure({ mode: "serial" });

// Whatever happened above, later specs must see no deployment declared.
test.afterAll(async ({ browser }, testInfo) => {
  const context = await browser.newContext({ storageState: ADMIN_STATE, baseURL: testInfo.project.use.baseURL });
  const page = await context.newPage();
  await saveComposeFiles(page, "");
  await expect(page.getByTestId("compose-form").getByRole("status")).toContainText("no deployment is declared");
  await context.close();
});

async function saveComposeFiles(page: import("@playwright/test").Page, files: string) {
  await page.goto("/settings");
  const form = page.getByTestId("compose-form");
  await form.getByLabel("Compose files").fill(files);
  await form.getByRole("button", { name: "Save Compose files" }).click();
}

test("an admin names the Compose files; the dashboard shows what they declare, and every image page its part", async ({ page }) => {
  await saveComposeFiles(page, "deploy/docker-compose.yml");
  await expect(page.getByTestId("compose-form").getByRole("status")).toHaveText("Saved: 2 services read; 1 run plan images.");
  const state = page.getByTestId("compose-state");
  await expect(state.locator('tr[data-service="rdp-monitor"]')).toContainText("lucid-rdp-monitor");
  await expect(state.locator('tr[data-service="rdp-monitor"]')).toContainText(":18094/health");
  await expect(state.locator('tr[data-service="tor-proxy"]')).toContainText("not in the plan");
  await expect(state).toContainText("Not set, so empty or their defaults: MONITOR_PORT");
  await page.screenshot({ path: "test-results/screenshots/settings-compose.png", fullPage: true });

  await page.goto("/images/lucid-rdp-monitor");
  const section = page.getByTestId("deployment-section");
  await expect(section.locator('[data-service="rdp-monitor"]')).toContainText("deploy/docker-compose.yml:10");
  await expect(section).toContainText("host port 18094, path /health");
  // The plan and the Dockerfile say 8093; the Compose file publishes container port 8094.
  await expect(section.getByTestId("port-disagreements")).toContainText("the plan says 8093, Compose publishes container port 8094");
  await expect(section.getByTestId("port-disagreements")).toContainText("Compose publishes 8094, which the Dockerfile does not EXPOSE (8093)");
  // The compose rules, measured from the file: the anchor's read_only line is the evidence.
  const readOnly = page.locator('[data-testid=compliance-section] tr[data-rule="compose-read-only"]');
  await expect(readOnly).toHaveAttribute("data-status", "pass");
  await expect(readOnly).toContainText("Compose line 3");
  await expect(page.locator('[data-testid=compliance-section] tr[data-rule="compose-image-pinned"]')).toHaveAttribute("data-status", "fail");
  // Health is probed where the deployment says, not on the plan's port.
  await expect(page.getByText("http://127.0.0.1:18094/health")).toBeVisible();
  await expect(page.getByTestId("target-source")).toHaveText("from the Compose file: the published port and its health check's path");
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/image-deployment.png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await section.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "test-results/screenshots/image-deployment-phone.png" });
  // The section fits a phone (the rest of the image page is #14's).
  const box = (await section.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);

  // A pushed image that no service runs is not deployed (and not probed), whatever the plan's port says.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto("/images/lucid-rdp-server-manager");
  await expect(page.getByTestId("not-deployed")).toContainText("no service in the deployment's Compose files runs this image");
});

test("Compose files that Compose would refuse are shown with file, line and excerpt, and nothing of them is used", async ({ page }) => {
  await saveComposeFiles(page, "deploy/docker-compose.yml\ndeploy/broken.yml");
  await expect(page.getByTestId("compose-form").getByRole("status")).toHaveText("Saved: the files cannot be read: 1 problem, listed below.");
  const problem = page.getByTestId("compose-problem");
  await expect(problem).toContainText("deploy/broken.yml:5");
  await expect(problem).toContainText("invalid interpolation format");
  await expect(problem).toContainText('- "${RDP_SERVER_MANAGER_PORT:8801}:${RDP_SERVER_MANAGER_PORT:8801}"');
  await page.goto("/images/lucid-rdp-monitor");
  await expect(page.getByTestId("deployment-section")).toContainText("The Compose files cannot be read");

  // Refused input changes nothing: a path leaving the checkout is refused beside the field.
  await saveComposeFiles(page, "../outside.yml");
  await expect(page.getByTestId("compose-form")).toContainText("A path cannot leave the checkout (..).");
  await expect(page.getByTestId("compose-problem")).toHaveCount(1);

  await saveComposeFiles(page, "");
  await expect(page.getByTestId("compose-form").getByRole("status")).toContainText("no deployment is declared");
});

