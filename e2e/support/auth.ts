import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";

/** The first admin, created by the server at its first start from LUCID_ADMIN_EMAIL/PASSWORD (playwright.config.ts). */
export const ADMIN = { email: "admin@e2e.test", password: "e2e admin password" } as const;
/** The admin's signed-in browser state, written by auth.setup.ts and used by every spec. */
export const ADMIN_STATE = "data/e2e-auth/admin.json";

const EMPTY_STATE = { cookies: [], origins: [] };

/** A browser context with nobody signed in, whatever the project's storageState says. */
export function anonymousContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, storageState: EMPTY_STATE });
}

/** Signs in through /login and waits for the header to show who is signed in. */
export async function signIn(page: Page, email: string, password: string, role: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-role")).toHaveText(role);
}
