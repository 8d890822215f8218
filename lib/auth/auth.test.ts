import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "@/lib/auth/auth";
import { AUTH_SECRET_KEY, resolveAuthSecret, secretFromEnv, storedSecret } from "@/lib/auth/secret";
import { prepareAccounts } from "@/lib/auth/setup";
import { createUser, deleteUser, ensureFirstAdmin, listUsers, setUserRole, UserError } from "@/lib/auth/users";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// better-auth as configured for the dashboard, on a real migrated database, called through its HTTP handler.
let prisma: PrismaClient;
let cleanup: () => Promise<void>;
let auth: Auth;
const ORIGIN = "http://127.0.0.1:3210";
let ip = 0;

beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  auth = createAuth(prisma, await storedSecret(prisma), {});
  ip += 1;
});
afterEach(async () => cleanup());

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return auth.handler(
    new Request(`http://localhost:3210/api/auth${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", host: "127.0.0.1:3210", origin: ORIGIN, "x-forwarded-for": `10.0.0.${ip}`, ...headers },
      body: JSON.stringify(body),
    }),
  );
}

describe("accounts", () => {
  it("signs in a user created by an admin, with better-auth's own hash and an httpOnly, SameSite=Lax cookie", async () => {
    await createUser(prisma, { email: "Ada@Example.test", password: "a long password", role: "operator" }, "cli");
    const account = await prisma.account.findFirstOrThrow();
    expect(account).toMatchObject({ providerId: "credential" });
    expect(account.password).not.toContain("a long password");
    expect(account.password).toMatch(/^[0-9a-f]+:[0-9a-f]+$/); // scrypt salt:key

    const response = await post("/sign-in/email", { email: "ada@example.test", password: "a long password" });
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^lucid\.session_token=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const body = (await response.json()) as { user: { email: string; role: string } };
    expect(body.user).toMatchObject({ email: "ada@example.test", role: "operator" });
    // The cookie carries the session; the body does not repeat its token.
    expect(body).not.toHaveProperty("token");
    expect(JSON.stringify(body)).not.toContain(decodeURIComponent(cookie.split(";")[0]!.split("=")[1]!).split(".")[0]);

    const session = await auth.api.getSession({ headers: new Headers({ cookie: cookie.split(";")[0]! }) });
    expect(session?.user).toMatchObject({ email: "ada@example.test", role: "operator" });
  });

  it("refuses a wrong password, and sign-up altogether", async () => {
    await createUser(prisma, { email: "ada@example.test", password: "a long password", role: "viewer" }, "cli");
    expect((await post("/sign-in/email", { email: "ada@example.test", password: "not the password" })).status).toBe(401);
    const signUp = await post("/sign-up/email", { email: "eve@example.test", password: "another long one", name: "Eve" });
    expect(signUp.status).toBeGreaterThanOrEqual(400);
    expect(await prisma.user.count({ where: { email: "eve@example.test" } })).toBe(0);
  });

  it("throttles sign-in after 5 attempts a minute from one address (429 with the wait)", async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await post("/sign-in/email", { email: "nobody@example.test", password: "wrong password" });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(Number(last!.headers.get("x-retry-after"))).toBeGreaterThan(0);
    // Another address is not affected.
    ip += 1;
    expect((await post("/sign-in/email", { email: "nobody@example.test", password: "wrong password" })).status).toBe(401);
  });

  it("refuses a cookie-carrying sign-in from another origin (better-auth's CSRF check)", async () => {
    await createUser(prisma, { email: "ada@example.test", password: "a long password", role: "viewer" }, "cli");
    const response = await post("/sign-in/email", { email: "ada@example.test", password: "a long password" }, { origin: "http://evil.example", cookie: "x=1" });
    expect(response.status).toBe(403);
  });

  it("never takes a role from a request", async () => {
    await createUser(prisma, { email: "ada@example.test", password: "a long password", role: "viewer" }, "cli");
    const response = await post("/sign-in/email", { email: "ada@example.test", password: "a long password" });
    const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0]!;
    const update = await post("/update-user", { role: "admin" }, { cookie });
    expect(update.status).toBeGreaterThanOrEqual(400);
    expect((await prisma.user.findFirstOrThrow()).role).toBe("viewer");
  });
});

describe("users", () => {
  it("creates, lists, changes roles and deletes, auditing each in its transaction", async () => {
    await createUser(prisma, { email: "root@example.test", password: "a long password", role: "admin" }, "cli");
    await createUser(prisma, { email: "op@example.test", password: "a long password", role: "operator", name: "Op" }, "user root@example.test");
    expect((await listUsers(prisma)).map((u) => [u.email, u.role, u.name])).toEqual([
      ["root@example.test", "admin", "root"],
      ["op@example.test", "operator", "Op"],
    ]);
    expect(await setUserRole(prisma, "OP@example.test", "viewer", "user root@example.test")).toMatchObject({ changed: true, user: { role: "viewer" } });
    expect(await setUserRole(prisma, "op@example.test", "viewer", "cli")).toMatchObject({ changed: false });
    await deleteUser(prisma, "op@example.test", "user root@example.test");
    expect(await prisma.account.count()).toBe(1);
    const events = await prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => [e.actor, e.action, e.target, e.detail])).toEqual([
      ["cli", "user.create", "user root@example.test", { role: "admin" }],
      ["user root@example.test", "user.create", "user op@example.test", { role: "operator" }],
      ["user root@example.test", "user.role", "user op@example.test", { from: "operator", to: "viewer" }],
      ["user root@example.test", "user.delete", "user op@example.test", { role: "viewer" }],
    ]);
    expect(JSON.stringify(events)).not.toContain("a long password");
  });

  it("refuses bad input, duplicates, and leaving no admin", async () => {
    await createUser(prisma, { email: "root@example.test", password: "a long password", role: "admin" }, "cli");
    await expect(createUser(prisma, { email: "not-an-email", password: "a long password", role: "viewer" }, "cli")).rejects.toThrow(UserError);
    await expect(createUser(prisma, { email: "a@example.test", password: "short", role: "viewer" }, "cli")).rejects.toThrow(/at least 10/);
    await expect(createUser(prisma, { email: "a@example.test", password: "a long password", role: "root" }, "cli")).rejects.toThrow(/unknown role/);
    await expect(createUser(prisma, { email: "ROOT@example.test", password: "a long password", role: "viewer" }, "cli")).rejects.toThrow(/already exists/);
    await expect(setUserRole(prisma, "root@example.test", "operator", "cli")).rejects.toThrow(/last admin/);
    await expect(deleteUser(prisma, "root@example.test", "cli")).rejects.toThrow(/last admin/);
    await expect(deleteUser(prisma, "ghost@example.test", "cli")).rejects.toThrow(/no user/);
    expect(await prisma.user.count()).toBe(1);
    expect(await prisma.auditEvent.count()).toBe(1);
  });

  it("creates the first admin from the environment only while there is no user", async () => {
    expect(await ensureFirstAdmin(prisma, {})).toEqual({ created: false, reason: "not_configured" });
    const env = { LUCID_ADMIN_EMAIL: "first@example.test", LUCID_ADMIN_PASSWORD: "a long password" };
    expect(await ensureFirstAdmin(prisma, env)).toEqual({ created: true, email: "first@example.test" });
    expect(await ensureFirstAdmin(prisma, { ...env, LUCID_ADMIN_EMAIL: "second@example.test" })).toEqual({ created: false, reason: "users_exist" });
    expect((await listUsers(prisma)).map((u) => [u.email, u.role])).toEqual([["first@example.test", "admin"]]);
    expect((await prisma.auditEvent.findFirstOrThrow()).actor).toBe("system");
  });
});

describe("the session secret", () => {
  it("is generated once and kept, unless BETTER_AUTH_SECRET is set", async () => {
    const first = await resolveAuthSecret(prisma, {});
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await resolveAuthSecret(prisma, {})).toBe(first);
    expect((await prisma.setting.findUniqueOrThrow({ where: { key: AUTH_SECRET_KEY } })).value).toBe(first);
    const fromEnv = "x".repeat(40);
    expect(await resolveAuthSecret(prisma, { BETTER_AUTH_SECRET: fromEnv })).toBe(fromEnv);
    expect(() => secretFromEnv({ BETTER_AUTH_SECRET: "short" })).toThrow(/at least 32/);
  });

  it("is the same when two processes create it at once", async () => {
    const secrets = await Promise.all([storedSecret(prisma), storedSecret(prisma), storedSecret(prisma)]);
    expect(new Set(secrets).size).toBe(1);
  });

  it("prepareAccounts says how to create the first admin, and never prints a secret", async () => {
    const lines = await prepareAccounts(prisma, {});
    expect(lines.join("\n")).toMatch(/npx lucid user create --admin EMAIL/);
    const secret = (await prisma.setting.findUniqueOrThrow({ where: { key: AUTH_SECRET_KEY } })).value;
    expect(lines.join("\n")).not.toContain(secret);
    expect(await prepareAccounts(prisma, { LUCID_ADMIN_EMAIL: "a@example.test", LUCID_ADMIN_PASSWORD: "a long password" })).toEqual([
      "Created the first admin, a@example.test, from LUCID_ADMIN_EMAIL.",
    ]);
  });
});
