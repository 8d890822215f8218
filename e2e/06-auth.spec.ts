import { lucidPlanDocument } from "../lib/testing/lucid-fixtures";
import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { captureAction, replay, withField, type CapturedAction } from "./support/actions";
import { anonymousContext, ADMIN } from "./support/auth";
import { buildReport } from "./support/api";
import { expect, test, watchCsp } from "./support/fixtures";

// Accounts, roles and the audit trail. Runs last: it ends by using up the sign-in limit of 127.0.0.1.
// Every refused request is checked twice: its answer (401/403, or /login), and, through the API as the admin,
// that nothing changed. The server actions are replayed from requests the admin's browser really sent, so a
// refusal can only come from the role check.
test.describe.configure({ mode: "serial" });

const VIEWER = { email: "viewer@e2e.test", password: "viewer password 1" };
const OPERATOR = { email: "operator@e2e.test", password: "operator password 1" };
// The real document where present, else the built-in plan written out (the same plan, line for line).
const realPlan = lucidPlanDocument();

const captured: Record<"createUser" | "setRole" | "deployTarget" | "planImport" | "rebuild" | "createToken", CapturedAction | undefined> = {
  createUser: undefined,
  setRole: undefined,
  deployTarget: undefined,
  planImport: undefined,
  rebuild: undefined,
  createToken: undefined,
};
/** A full-page screenshot from the top (a sticky header would otherwise be drawn where the page was scrolled to). */
async function shoot(page: Page, name: string, colorScheme: "light" | "dark" = "light") {
  await page.emulateMedia({ colorScheme });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

const need = (key: keyof typeof captured): CapturedAction => {
  const action = captured[key];
  if (!action) throw new Error(`${key} was not captured: run the whole file`);
  return action;
};

type Session = { context: BrowserContext; page: Page; csp: string[] };
const sessions: Partial<Record<"viewer" | "operator", Session>> = {};

async function openAnonymous(browser: Browser, baseURL: string): Promise<Session> {
  const context = await anonymousContext(browser, baseURL);
  const page = await context.newPage();
  return { context, page, csp: watchCsp(page) };
}

/** What a refused request must not change, read through the API and the admin pages as the admin. */
async function snapshot(api: APIRequestContext, admin: Page) {
  const plan = await (await api.get("/api/plan")).json();
  const health = await (await api.get("/api/health")).json();
  const xrdp = await (await api.get("/api/health/lucid-rdp-xrdp")).json();
  await admin.goto("/admin/users");
  const users = await admin.locator("[data-testid=users-table] tbody tr").evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-user")} ${(r.querySelector("select") as HTMLSelectElement | null)?.value}`));
  await admin.goto("/admin/tokens");
  const tokens = await admin.locator("tr[data-token]").evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-token")} ${r.textContent?.includes("revoked") ? "revoked" : "active"}`));
  return {
    images: plan.phases.flatMap((p: { images: { name: string; title: string; state: string; latestBuild: { id: number } | null }[] }) =>
      p.images.map((i) => `${i.name} ${i.title} ${i.state} ${i.latestBuild?.id ?? "-"}`),
    ),
    totals: plan.totals,
    deploy: { enabled: health.enabled, target: health.target },
    xrdpTarget: xrdp.target,
    users,
    tokens,
  };
}

test("the admin creates a viewer and an operator on /admin/users", async ({ page }) => {
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();
  await expect(page.getByTestId("roles-table")).toContainText("imports plans");
  const form = page.getByTestId("create-user-form");
  for (const [user, role] of [[VIEWER, "viewer"], [OPERATOR, "operator"]] as const) {
    await form.getByLabel("Email").fill(user.email);
    await form.getByLabel("Password").fill(user.password);
    await form.getByLabel("Role").selectOption(role);
    const submit = () => form.getByRole("button", { name: "Create user" }).click();
    if (role === "viewer") captured.createUser = await captureAction(page, submit);
    else await submit();
    await expect(page.getByRole("status").filter({ hasText: `Created ${user.email} (${role}).` })).toBeVisible();
    await expect(page.locator(`tr[data-user="${user.email}"]`)).toBeVisible();
  }
  // Changing the operator's role to what it already is: a harmless request to replay as the operator later.
  const row = page.locator(`tr[data-user="${OPERATOR.email}"]`);
  captured.setRole = await captureAction(page, () => row.getByRole("button", { name: `Change the role of ${OPERATOR.email}` }).click());
  await expect(row).toContainText("already is operator");

  await shoot(page, "admin-users");
  await shoot(page, "admin-users-dark", "dark");
});

test("the admin's own requests, captured to be replayed by the other roles", async ({ page, request }) => {
  await page.goto("/settings");
  const host = page.getByLabel("Deployment host");
  await expect(host).toHaveValue("127.0.0.1");
  captured.deployTarget = await captureAction(page, () => page.getByTestId("deploy-target-form").getByRole("button", { name: "Save" }).click());
  await expect(page.getByRole("status").filter({ hasText: "Unchanged" })).toBeVisible();

  // A preview writes nothing; replayed with confirm=import it would rename an image.
  await page.goto("/plan/import");
  const renamed = realPlan.replace("### **18. Session API**", "### **18. Session API Service**").replace("### **14. Session Pipeline**", "### **14. Pipeline Renamed By Replay**");
  await page.getByLabel("Build-commands document").fill(renamed);
  captured.planImport = await captureAction(page, () => page.getByRole("button", { name: "Preview import" }).click());
  await expect(page.getByTestId("import-changes")).toContainText("lucid-session-pipeline: title");

  // Rebuilding the broken fixture fails within seconds; the request is what matters.
  await page.goto("/images/lucid-rdp-controller");
  captured.rebuild = await captureAction(page, () => page.getByRole("button", { name: "Rebuild lucid-rdp-controller" }).click());
  await expect(page).toHaveURL(/\/builds\/\d+$/);
  const id = Number(page.url().split("/").pop());
  await expect.poll(async () => (await (await request.get(`/api/builds/${id}`)).json()).status, { timeout: 60_000 }).toBe("failed");
});

test("anonymous visitors are sent to /login, the API answers 401, and nothing changes", async ({ browser, baseURL, page, request }) => {
  const before = await snapshot(request, page);
  const anonymous = await openAnonymous(browser, baseURL!);
  const { page: visitor, context } = anonymous;

  await visitor.goto("/");
  await expect(visitor).toHaveURL(/\/login$/);
  await expect(visitor.getByRole("heading", { name: "Sign in" })).toBeVisible();
  // No navigation to pages they could not open anyway.
  await expect(visitor.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveCount(0);
  for (const path of ["/settings", "/admin/users", "/admin/audit", "/plan/import", "/builds/1"]) {
    await visitor.goto(path);
    await expect(visitor).toHaveURL(`/login?next=${encodeURIComponent(path)}`);
  }

  const api = context.request;
  for (const path of ["/api/plan", "/api/images/lucid-vm", "/api/builds/1", "/api/builds/1/log", "/api/health", "/api/compliance"]) {
    const response = await api.get(path);
    expect(response.status(), path).toBe(401);
    expect(await response.json()).toEqual({ error: expect.stringContaining("Authorization: Bearer") });
  }
  const writes = [
    api.post("/api/images/lucid-rdp-monitor/builds"),
    api.post("/api/phases/3/builds"),
    api.post("/api/builds/1/cancel"),
    api.post("/api/builds", { data: buildReport("lucid-vm", 1) }),
  ];
  for (const response of await Promise.all(writes)) expect(response.status(), response.url()).toBe(401);

  // Server actions without a session: sent to /login, never run.
  for (const action of [withField(need("deployTarget"), "host", "203.0.113.50"), need("rebuild"), withField(need("planImport"), "confirm", "import")]) {
    const response = await replay(api, action, baseURL!);
    expect(response.headers()["x-action-redirect"] ?? response.headers()["location"] ?? "", action.path).toMatch(/^\/login/);
  }

  expect(await snapshot(request, page)).toEqual(before);
  expect(anonymous.csp).toEqual([]);
  await context.close();
});

test("a viewer reads everything but can change nothing", async ({ browser, baseURL, page, request }) => {
  const before = await snapshot(request, page);
  const viewer = await openAnonymous(browser, baseURL!);
  sessions.viewer = viewer;
  const { page: v, context } = viewer;

  // Signing in from a redirect comes back to the page asked for.
  await v.goto("/images/lucid-rdp-controller");
  await expect(v).toHaveURL("/login?next=%2Fimages%2Flucid-rdp-controller");
  await v.getByLabel("Email").fill(VIEWER.email);
  await v.getByLabel("Password").fill(VIEWER.password);
  await v.getByRole("button", { name: "Sign in" }).click();
  await expect(v).toHaveURL("/images/lucid-rdp-controller");
  await expect(v.getByTestId("user-role")).toHaveText("viewer");
  await expect(v.getByTestId("image-state")).toContainText("Failed");
  // What a viewer cannot do is not offered.
  await expect(v.getByRole("button", { name: /Rebuild|Build /i })).toHaveCount(0);
  await expect(v.getByText("Edit target")).toHaveCount(0);
  await expect(v.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Overview", "Status", "Base images"]);
  await v.goto("/");
  await expect(v.getByRole("heading", { name: "Lucid build plan" })).toBeVisible();
  await expect(v.getByRole("button", { name: /Rebuild|Build \d+ incomplete/ })).toHaveCount(0);

  // ?next= only ever leads back into the dashboard.
  await v.goto("/login?next=//evil.example/x");
  await expect(v).toHaveURL("/");
  await v.goto("/login?next=https://evil.example/x");
  await expect(v).toHaveURL("/");

  for (const path of ["/settings", "/plan/import", "/admin/users", "/admin/tokens", "/admin/audit"]) {
    const response = await v.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(v.getByTestId("forbidden")).toBeVisible();
  }
  await v.goto("/settings");
  await shoot(v, "forbidden-viewer");
  await shoot(v, "forbidden-viewer-dark", "dark");

  const api = context.request;
  expect((await api.get("/api/plan")).status()).toBe(200);
  const headers = { origin: baseURL! };
  expect((await api.post("/api/images/lucid-rdp-monitor/builds", { headers })).status()).toBe(403);
  expect((await api.post("/api/phases/3/builds", { headers })).status()).toBe(403);
  expect((await api.post("/api/builds", { headers, data: buildReport("lucid-vm", 1) })).status()).toBe(403);

  for (const action of [
    need("rebuild"),
    withField(need("deployTarget"), "host", "203.0.113.51"),
    withField(need("planImport"), "confirm", "import"),
    withField(withField(need("createUser"), "email", "mallory@e2e.test"), "role", "admin"),
    withField(withField(need("setRole"), "email", VIEWER.email), "role", "admin"),
  ]) {
    expect((await replay(api, action, baseURL!)).status(), action.path).toBe(403);
  }

  expect(await snapshot(request, page)).toEqual(before);
  expect(viewer.csp).toEqual([]);
});

test("an operator runs builds and health checks, and nothing else", async ({ browser, baseURL, page, request }) => {
  const before = await snapshot(request, page);
  const operator = await openAnonymous(browser, baseURL!);
  sessions.operator = operator;
  const { page: o, context } = operator;

  await o.goto("/login");
  await o.getByLabel("Email").fill(OPERATOR.email);
  await o.getByLabel("Password").fill(OPERATOR.password);
  await o.getByRole("button", { name: "Sign in" }).click();
  await expect(o.getByTestId("user-role")).toHaveText("operator");
  await expect(o.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(["Overview", "Status", "Base images"]);

  // Allowed: the build buttons are there, and Check now runs (and is audited below).
  await o.goto("/images/lucid-rdp-controller");
  await expect(o.getByRole("button", { name: "Rebuild lucid-rdp-controller" })).toBeVisible();
  await o.goto("/images/lucid-rdp-xrdp");
  await expect(o.getByText("Edit target")).toHaveCount(0);
  await o.getByRole("button", { name: "Check now" }).click();
  await expect(o.getByTestId("health-panel").locator("p[aria-live]")).not.toBeEmpty();

  for (const path of ["/settings", "/plan/import", "/admin/users", "/admin/tokens"]) expect((await o.goto(path))?.status(), path).toBe(403);

  const api = context.request;
  // The session cookie works for the build API only from the dashboard's own origin.
  const crossOrigin = await api.post("/api/images/lucid-rdp-monitor/builds", { headers: { origin: "http://evil.example" } });
  expect(crossOrigin.status()).toBe(403);
  expect(await crossOrigin.json()).toEqual({ error: "cross-origin request refused" });
  // A forwarded host is only believed from a trusted proxy: claiming the attacker's host does not make it ours.
  const forwarded = await api.post("/api/images/lucid-rdp-monitor/builds", { headers: { origin: "http://evil.example", "x-forwarded-host": "evil.example" } });
  expect(forwarded.status()).toBe(403);

  for (const action of [
    withField(need("deployTarget"), "host", "203.0.113.52"),
    withField(need("planImport"), "confirm", "import"),
    withField(withField(need("createUser"), "email", "mallory@e2e.test"), "role", "admin"),
    // Making themselves admin.
    withField(need("setRole"), "role", "admin"),
  ]) {
    expect((await replay(api, action, baseURL!)).status(), action.path).toBe(403);
  }
  // A server action from another origin is refused before it runs (by the proxy, ahead of Next.js's own check),
  // whoever sends it, also when a forwarded host claims the attacker's origin is ours.
  const forged = await replay(api, need("rebuild"), "http://evil.example");
  expect(forged.status()).toBe(403);
  const forwardedAction = await api.post(need("rebuild").path, {
    headers: { ...need("rebuild").headers, origin: "http://evil.example", "x-forwarded-host": "evil.example" },
    data: Buffer.from(need("rebuild").body, "latin1"),
    maxRedirects: 0,
  });
  expect(forwardedAction.status()).toBe(403);
  // A form posted without JavaScript carries its action in the body, with no Next-Action header: judged the same.
  const plainForm = await api.post("/settings", { form: { host: "203.0.113.53" }, headers: { origin: "http://evil.example" }, maxRedirects: 0 });
  expect(plainForm.status()).toBe(403);

  const after = await snapshot(request, page);
  expect(after).toEqual(before);
  expect(operator.csp).toEqual([]);
});

test("API tokens: shown once, used, revoked, refused", async ({ page, playwright, baseURL }) => {
  await page.goto("/admin/tokens");
  const form = page.getByTestId("create-token-form");
  await form.getByLabel("Name", { exact: true }).fill("e2e-audit-writer");
  captured.createToken = await captureAction(page, () => form.getByRole("button", { name: "Create token" }).click());
  const shown = page.getByTestId("new-token-value");
  await expect(shown).toHaveText(/^lucid_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent())!;
  const row = page.locator('tr[data-token="e2e-audit-writer"]');
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).toContainText("builds:write");
  await expect(row).toContainText(`by user ${ADMIN.email}`);
  await expect(row).toContainText("never");
  await shoot(page, "admin-tokens");

  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const auth = { Authorization: `Bearer ${token}` };
  expect((await api.post("/api/builds", { headers: auth, data: buildReport("lucid-vm", 2, { status: "failed", pushed: false, exitCode: 1 }) })).status()).toBe(201);
  expect((await api.get("/api/plan", { headers: auth })).status()).toBe(200);
  // builds:write does not queue builds.
  expect((await api.post("/api/images/lucid-rdp-monitor/builds", { headers: auth })).status()).toBe(403);

  // Shown once: not on the page again, only its prefix.
  await page.reload();
  expect(await page.content()).not.toContain(token.slice(12));
  await expect(row).not.toContainText("never");
  await shoot(page, "admin-tokens-dark", "dark");
  await page.emulateMedia({ colorScheme: "light" });

  await row.getByRole("button", { name: "Revoke e2e-audit-writer" }).click();
  await expect(row).toContainText("revoked");
  const refused = await api.post("/api/builds", { headers: auth, data: buildReport("lucid-vm", 2) });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: "invalid or revoked token" });
  expect((await api.get("/api/plan", { headers: auth })).status()).toBe(401);
  await api.dispose();

  // Operators cannot make tokens, even by replaying the admin's request.
  const operator = sessions.operator!;
  expect((await replay(operator.context.request, withField(need("createToken"), "name", "operator-made"), baseURL!)).status()).toBe(403);
  await page.reload();
  await expect(page.locator('tr[data-token="operator-made"]')).toHaveCount(0);
});

test("repeated wrong passwords are throttled, even with the right one after", async ({ browser, baseURL }) => {
  const visitor = await openAnonymous(browser, baseURL!);
  const { page: p } = visitor;
  await p.goto("/login");
  await p.screenshot({ path: "test-results/screenshots/login.png" });
  await p.emulateMedia({ colorScheme: "dark" });
  await p.screenshot({ path: "test-results/screenshots/login-dark.png" });
  await p.emulateMedia({ colorScheme: "light" });

  // 5 attempts a minute per address; the viewer's and operator's sign-ins above count too.
  const error = p.getByTestId("login-error");
  const messages: string[] = [];
  await p.getByLabel("Email").fill(ADMIN.email);
  const button = p.getByRole("button", { name: "Sign in" });
  for (let attempt = 0; attempt < 6 && !messages.at(-1)?.startsWith("Too many"); attempt++) {
    await p.getByLabel("Password").fill(`wrong password ${attempt}`);
    const answered = p.waitForResponse((r) => r.url().endsWith("/api/auth/sign-in/email"));
    await button.click();
    await answered;
    // The button is back (not "Signing in…") once the answer is shown.
    await expect(button).toBeEnabled();
    await expect(error).toBeVisible();
    messages.push((await error.textContent())!);
  }
  expect(messages[0]).toBe("Wrong email or password.");
  expect(messages.at(-1)).toMatch(/^Too many sign-in attempts\. Wait \d+ seconds and try again\.$/);

  // While throttled, not even the right password gets in.
  await p.getByLabel("Password").fill(ADMIN.password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await expect(error).toContainText("Too many sign-in attempts");
  await expect(p).toHaveURL(/\/login$/);
  await p.screenshot({ path: "test-results/screenshots/login-throttled.png" });
  await p.emulateMedia({ colorScheme: "dark" });
  await p.screenshot({ path: "test-results/screenshots/login-throttled-dark.png" });
  expect(visitor.csp).toEqual([]);
  await visitor.context.close();
});

test("the audit log shows what this file did, filtered by action, actor and date", async ({ page }) => {
  await page.goto("/admin/audit");
  const table = page.getByTestId("audit-table");
  const rowsOf = (action: string) => table.locator(`tr[data-action="${action}"]`);
  await expect(rowsOf("user.create").filter({ hasText: `user ${VIEWER.email}` })).toContainText(`user ${ADMIN.email}`);
  await expect(rowsOf("user.create").filter({ hasText: `user ${OPERATOR.email}` })).toHaveCount(1);
  await expect(rowsOf("token.create").filter({ hasText: "token e2e-audit-writer" })).toContainText(`user ${ADMIN.email}`);
  await expect(rowsOf("token.revoke").filter({ hasText: "token e2e-audit-writer" })).toHaveCount(1);
  await expect(rowsOf("build.report").filter({ hasText: "token e2e-audit-writer" })).toContainText("image lucid-vm");
  await expect(rowsOf("health.check").filter({ hasText: `user ${OPERATOR.email}` })).toContainText("image lucid-rdp-xrdp");
  await expect(rowsOf("build.start").filter({ hasText: "image lucid-rdp-controller" }).first()).toContainText(`user ${ADMIN.email}`);
  await expect(rowsOf("auth.sign_in_throttled").first()).toContainText("anonymous");
  // Nothing the refused requests tried is there.
  await expect(table).not.toContainText("mallory@e2e.test");
  await expect(table).not.toContainText("203.0.113.5");
  await expect(table).not.toContainText("operator-made");
  // No password, no token secret.
  for (const secret of [ADMIN.password, VIEWER.password, OPERATOR.password, "wrong password"]) await expect(table).not.toContainText(secret);
  await shoot(page, "admin-audit");

  await page.getByLabel("Action").selectOption("auth.sign_in");
  await page.getByLabel("Actor").fill(VIEWER.email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=auth\.sign_in&actor=viewer%40e2e\.test/);
  await expect(page.getByTestId("audit-total")).toHaveText("1 event matching");
  await expect(table.locator("tbody tr")).toHaveCount(1);

  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/admin/audit?action=auth.sign_in_failed&from=${today}&to=${today}`);
  await expect(table.locator("tr[data-action='auth.sign_in_failed']").first()).toContainText(`user ${ADMIN.email}`);
  await page.goto("/admin/audit?action=auth.sign_in_failed&from=2000-01-01&to=2000-01-02");
  await expect(page.getByTestId("audit-total")).toHaveText("0 events matching");
  await page.goto("/admin/audit");
  await shoot(page, "admin-audit-dark", "dark");

  for (const session of Object.values(sessions)) await session.context.close();
});
