import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAuth, type Auth } from "@/lib/auth/auth";
import { storedSecret } from "@/lib/auth/secret";
import { changeOwnPassword, setTemporaryPassword } from "@/lib/auth/passwords";
import { createUser, UserError } from "@/lib/auth/users";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// Through better-auth's own sign-in, on a real migrated database: what a user would notice.
let prisma: PrismaClient;
let cleanup: () => Promise<void>;
let auth: Auth;
let ip = 0;

beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  auth = createAuth(prisma, await storedSecret(prisma), {});
  await createUser(prisma, { email: "ada@example.test", password: "first password", role: "operator" }, "cli");
});
afterEach(async () => cleanup());

async function signIn(password: string): Promise<string | null> {
  ip += 1;
  const response = await auth.handler(
    new Request("http://localhost:3210/api/auth/sign-in/email", {
      method: "POST",
      headers: { "content-type": "application/json", host: "127.0.0.1:3210", origin: "http://127.0.0.1:3210", "x-forwarded-for": `10.1.0.${ip}` },
      body: JSON.stringify({ email: "ada@example.test", password }),
    }),
  );
  return response.status === 200 ? (await prisma.session.findFirstOrThrow({ orderBy: { createdAt: "desc" } })).token : null;
}

const userId = async () => (await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.test" } })).id;

describe("changing your own password", () => {
  it("needs the current password; then only the new one signs in, this session stays and the others end, audited", async () => {
    const here = (await signIn("first password"))!;
    await signIn("first password");
    expect(await prisma.session.count()).toBe(2);

    await expect(changeOwnPassword(prisma, { userId: await userId(), currentPassword: "wrong password", newPassword: "second password", keepSessionToken: here }, "user ada@example.test")).rejects.toThrow(UserError);
    expect(await prisma.session.count()).toBe(2);
    expect(await signIn("second password")).toBeNull();

    const result = await changeOwnPassword(prisma, { userId: await userId(), currentPassword: "first password", newPassword: "second password", keepSessionToken: here }, "user ada@example.test");
    expect(result.signedOut).toBe(1);
    expect((await prisma.session.findMany()).map((s) => s.token)).toEqual([here]);
    expect(await signIn("first password")).toBeNull();
    expect(await signIn("second password")).not.toBeNull();
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.password" } });
    expect(event.actor).toBe("user ada@example.test");
    expect(JSON.stringify(event)).not.toContain("second password");
  });

  it("refuses a too-short or unchanged new password, changing nothing", async () => {
    await expect(changeOwnPassword(prisma, { userId: await userId(), currentPassword: "first password", newPassword: "short", keepSessionToken: null }, "cli")).rejects.toThrow(/at least/);
    await expect(changeOwnPassword(prisma, { userId: await userId(), currentPassword: "first password", newPassword: "first password", keepSessionToken: null }, "cli")).rejects.toThrow(/differ/);
    expect(await signIn("first password")).not.toBeNull();
  });
});

describe("an admin's temporary password", () => {
  it("replaces the password, ends every session, must be changed, and is audited without the password", async () => {
    await signIn("first password");
    const { password } = await setTemporaryPassword(prisma, "ADA@example.test", "user admin@example.test");
    expect(password).toMatch(/^[\w-]{20}$/);
    expect(await prisma.session.count()).toBe(0);
    expect((await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.test" } })).mustChangePassword).toBe(true);
    expect(await signIn("first password")).toBeNull();
    const session = (await signIn(password))!;

    await changeOwnPassword(prisma, { userId: await userId(), currentPassword: password, newPassword: "my own password", keepSessionToken: session }, "user ada@example.test");
    expect((await prisma.user.findUniqueOrThrow({ where: { email: "ada@example.test" } })).mustChangePassword).toBe(false);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "user.password_reset" } });
    expect(event).toMatchObject({ actor: "user admin@example.test", target: "user ada@example.test" });
    expect(JSON.stringify(event)).not.toContain(password);
  });

  it("refuses an unknown user, changing nothing", async () => {
    await expect(setTemporaryPassword(prisma, "nobody@example.test", "cli")).rejects.toThrow(/no user/);
    expect(await prisma.auditEvent.count({ where: { action: "user.password_reset" } })).toBe(0);
  });
});
