import { execFileSync } from "node:child_process";
import type { APIRequestContext, APIResponse } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { buildReport, createToken } from "./support/api";
import { anonymousContext, signIn } from "./support/auth";

// The overview and the status page are answered from the page cache while nothing changed (lib/server/page-cache.ts).
// What a user must never notice: an old page after a change, another user's page, a reused nonce, a page after
// their session ended.

// Runs before 06-auth, whose sign-in throttling test counts the sign-ins of the last minute from this address.
test.describe.configure({ mode: "serial" });

const CACHE_HEADER = "x-lucid-page-cache";
const nonceOf = (csp: string | undefined) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

function lucid(...args: string[]): void {
  execFileSync(process.execPath, ["bin/lucid.mjs", ...args], { env: { ...process.env, DATABASE_URL: "file:./data/e2e.db" }, input: "page cache password", stdio: ["pipe", "ignore", "pipe"] });
}

/**
 * Two requests in a row with no write between them (the health poller writes every second here, so it may take a
 * few tries): the earlier answer and the cached one.
 */
async function cachedPair(request: APIRequestContext): Promise<[APIResponse, APIResponse]> {
  let previous = await request.get("/");
  for (let attempt = 0; attempt < 20; attempt++) {
    const next = await request.get("/");
    if (next.headers()[CACHE_HEADER] === "hit") return [previous, next];
    previous = next;
  }
  throw new Error("no two requests in a row were answered from the page cache");
}

test("an unchanged overview comes from the cache with a fresh nonce; a reported build renders it again", async ({ page, request }) => {
  const [first, second] = await cachedPair(request);
  const [nonce1, nonce2] = [nonceOf(first.headers()["content-security-policy"]), nonceOf(second.headers()["content-security-policy"])];
  expect(nonce2).toBeTruthy();
  expect(nonce2).not.toBe(nonce1);
  const html = await second.text();
  expect(html).toContain(`nonce="${nonce2}"`);
  expect(html).not.toContain(nonce1!);

  const token = createToken("e2e-page-cache");
  // An image never built before: its card can only show this build.
  const report = await request.post("/api/builds", { headers: { Authorization: `Bearer ${token}` }, data: buildReport("lucid-database", 4) });
  expect(report.status()).toBe(201);
  const { id } = await report.json();
  const after = await request.get("/");
  expect(after.headers()[CACHE_HEADER]).toBeUndefined();
  expect(await after.text()).toContain(`build #${id} of lucid-database"`);

  // In the browser, a page from the cache runs its scripts under the new nonce (a CSP violation fails the test).
  await page.goto("/");
  await page.goto("/");
  await page.getByRole("button", { name: "Table" }).click();
  await expect(page.locator('[data-testid=figures-table] tr[data-image="lucid-database"]')).toContainText("4");
});

test("another user never gets the admin's cached page, and a session that ended gets no page at all", async ({ browser, baseURL, request, playwright }) => {
  lucid("user", "create", "reader-cache@e2e.test", "--role", "viewer", "--password-stdin");
  expect((await cachedPair(request))[1].status()).toBe(200);

  const context = await anonymousContext(browser, baseURL!);
  const viewer = await context.newPage();
  await signIn(viewer, "reader-cache@e2e.test", "page cache password", "viewer");
  await viewer.goto("/");
  await viewer.goto("/");
  await expect(viewer.getByTestId("user-role")).toHaveText("viewer");
  await expect(viewer.getByTestId("user-menu")).toContainText("reader-cache@e2e.test");
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  await viewer.getByRole("button", { name: /sign out/i }).click();
  await expect(viewer).toHaveURL(/\/login/);
  // The old cookie, replayed after sign-out, is sent to /login, not given the page cached for it.
  const replayer = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { cookie } });
  const replay = await replayer.get("/", { maxRedirects: 0 });
  expect(replay.status()).toBe(307);
  expect(replay.headers().location).toContain("/login");
  await replayer.dispose();
  await context.close();
});
