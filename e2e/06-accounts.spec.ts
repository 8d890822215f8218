import { anonymousContext } from "./support/auth";
import { expect, test } from "./support/fixtures";

// Passwords after an account exists: an admin's temporary password, which the user must replace at their next
// sign-in, and the user's own change. One sign-in only (06-auth uses up the sign-in limit of 127.0.0.1 later).
const USER = { email: "temp@e2e.test", password: "first password 1" };

test("an admin sets a temporary password; the user must choose their own before anything else opens", async ({ page, browser, baseURL }) => {
  await page.goto("/admin/users");
  const form = page.getByTestId("create-user-form");
  await form.getByLabel("Email").fill(USER.email);
  await form.getByLabel("Password").fill(USER.password);
  await form.getByRole("button", { name: "Create user" }).click();
  const row = page.locator(`tr[data-user="${USER.email}"]`);
  await expect(row).toBeVisible();

  // It asks first, naming what it does; Back changes nothing.
  await row.getByRole("button", { name: "Temporary password…" }).click();
  const dialog = page.getByRole("dialog", { name: `Set a temporary password for ${USER.email}?` });
  await expect(dialog).toContainText("every session of theirs ends now");
  await dialog.getByRole("button", { name: "Back" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId("temporary-password")).toHaveCount(0);

  await row.getByRole("button", { name: "Temporary password…" }).click();
  await dialog.getByRole("button", { name: `Set a temporary password for ${USER.email}` }).click();
  const shown = row.getByTestId("temporary-password");
  await expect(shown).toBeVisible();
  const temporary = (await shown.locator("code").textContent())!;
  expect(temporary).toMatch(/^[\w-]{20}$/);
  await expect(row).toContainText("must change it");

  const context = await anonymousContext(browser, baseURL!);
  const user = await context.newPage();
  await user.goto("/login");
  await user.getByLabel("Email").fill(USER.email);
  await user.getByLabel("Password").fill(temporary);
  await user.getByRole("button", { name: "Sign in" }).click();
  await expect(user).toHaveURL(/\/account$/);
  await expect(user.getByTestId("must-change")).toBeVisible();
  // Nothing else opens, pages or API, until the password is changed.
  await user.goto("/status");
  await expect(user).toHaveURL(/\/account$/);
  expect((await user.request.get("/api/plan")).status()).toBe(403);

  const passwordForm = user.getByTestId("password-form");
  await passwordForm.getByLabel("Current password").fill("not the password");
  await passwordForm.getByLabel("New password", { exact: true }).fill("my own password 1");
  await passwordForm.getByLabel("New password again").fill("my own password 1");
  await passwordForm.getByRole("button", { name: "Change password" }).click();
  await expect(user.getByText("The current password is not right.")).toBeVisible();
  await user.screenshot({ path: "test-results/screenshots/account-must-change.png", fullPage: true });

  await passwordForm.getByLabel("Current password").fill(temporary);
  await passwordForm.getByLabel("New password", { exact: true }).fill("my own password 1");
  await passwordForm.getByLabel("New password again").fill("my own password 1");
  await passwordForm.getByRole("button", { name: "Change password" }).click();
  await expect(user.getByRole("heading", { name: "Lucid build plan" })).toBeVisible();
  expect((await user.request.get("/api/plan")).status()).toBe(200);
  await context.close();

  await page.goto("/admin/audit");
  const table = page.getByTestId("audit-table");
  await expect(table.locator('tr[data-action="user.password_reset"]').first()).toContainText(USER.email);
  await expect(table.locator('tr[data-action="user.password"]').first()).toContainText(USER.email);
  await page.goto("/admin/users");
  await expect(page.locator(`tr[data-user="${USER.email}"]`)).not.toContainText("must change it");
});
