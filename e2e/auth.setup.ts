import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { expect, test as setup } from "@playwright/test";
import { ADMIN, ADMIN_STATE, signIn } from "./support/auth";

// Signs in once as the admin the server created from LUCID_ADMIN_EMAIL/PASSWORD; 01..06 start from this session.
setup("sign in as the admin", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, ADMIN.email, ADMIN.password, "admin");
  await expect(page.getByRole("heading", { name: "Lucid build plan" })).toBeVisible();
  await expect(page.getByTestId("user-email")).toHaveText(ADMIN.email);
  mkdirSync(dirname(ADMIN_STATE), { recursive: true });
  await page.context().storageState({ path: ADMIN_STATE });
});
