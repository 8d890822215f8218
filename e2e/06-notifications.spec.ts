import { expect, test } from "./support/fixtures";

// An admin adds a webhook channel, sends it a test message (received by e2e/notify-sink.ts on loopback), sees the
// delivery in the log, and the channel's secret is never shown again.

test("an admin adds a channel, sends a test, and reads the delivery log; secrets stay write-only", async ({ page, request }) => {
  await page.goto("/admin/notifications");
  // The channel declared in the environment (playwright.config.ts) is listed read-only.
  await expect(page.locator('tr[data-channel="webhook (environment)"]')).toContainText("from the environment");

  const form = page.getByTestId("add-channel");
  await form.getByLabel("Name", { exact: true }).fill("ops hook");
  await form.getByLabel("Kind").selectOption("webhook");
  await form.getByLabel("URL", { exact: true }).fill("http://127.0.0.1:5057/ops-secret-path");
  await form.getByLabel("Signing secret (16+ characters)").fill("an ops signing secret");
  await form.getByLabel("build failed").check();
  await form.getByLabel("Phases (comma-separated numbers; empty: all)").fill("4, 5");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(form.getByRole("status")).toContainText('Channel "ops hook" added');

  const row = page.locator('tr[data-channel="ops hook"]');
  await expect(row).toContainText("build failed");
  await expect(row).toContainText("phases 4, 5");
  await expect(row).toContainText("url, secret: set (write-only)");
  await expect(page.locator("body")).not.toContainText("ops-secret-path");

  await row.getByRole("button", { name: "Send test to ops hook" }).click();
  await expect(row.getByRole("status")).toContainText("Sent (HTTP 200)");
  const received = (await (await request.get("http://127.0.0.1:5057/received")).json()) as { path: string; body: string }[];
  const test_ = received.filter((r) => r.path === "/ops-secret-path").map((r) => JSON.parse(r.body));
  expect(test_).toEqual([expect.objectContaining({ type: "test", title: "Test message from the Lucid Build Dashboard" })]);

  await page.reload();
  await expect(page.getByTestId("delivery-log").locator("tbody tr").first()).toContainText("ops hook");
  await expect(page.getByTestId("delivery-log").locator("tbody tr").first()).toContainText("HTTP 200");
  await page.screenshot({ path: "test-results/screenshots/admin-notifications.png", fullPage: true });
  // One channel's log: only its deliveries.
  await row.getByRole("link", { name: "Delivery log of ops hook" }).click();
  await expect(page.getByRole("heading", { name: "Delivery log of ops hook" })).toBeVisible();
  await expect(page.getByTestId("delivery-log").locator("tbody tr")).toHaveCount(1);

  await row.getByRole("button", { name: "Disable ops hook" }).click();
  await expect(page.locator('tr[data-channel="ops hook"]')).toContainText("disabled");
});
