import { describe, expect, it } from "vitest";
import { cliHarness } from "@/lib/cli/testing";
import { readNewPassword, resolveRole, userCreateCommand, type PasswordSource } from "@/lib/cli/user";
import { createPrismaClient } from "@/lib/db/client";

const cli = cliHarness("lucid-cli-user-");
const stdin = (text: string): PasswordSource => ({ isTTY: false, prompt: async () => "", readAll: async () => text });
const terminal = (...answers: string[]): PasswordSource => ({ isTTY: true, prompt: async () => answers.shift() ?? "", readAll: async () => "" });

async function users() {
  const prisma = createPrismaClient();
  try {
    return (await prisma.user.findMany({ orderBy: { createdAt: "asc" } })).map((u) => [u.email, u.role]);
  } finally {
    await prisma.$disconnect();
  }
}

describe("lucid user", () => {
  it("creates the first admin from --password-stdin, lists users, changes a role and deletes one", async () => {
    expect(await userCreateCommand("Root@Example.test", { admin: true, passwordStdin: true }, stdin("a long password\n"))).toBe(0);
    expect(await userCreateCommand("op@example.test", { role: "operator" }, terminal("another password", "another password"))).toBe(0);
    expect(await users()).toEqual([
      ["root@example.test", "admin"],
      ["op@example.test", "operator"],
    ]);
    cli.output = [];
    expect(await cli.lucid("user", "list")).toBe(0);
    expect(cli.output[0]).toMatch(/^EMAIL\s+ROLE\s+NAME\s+CREATED$/);
    expect(cli.output.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ["root@example.test", "admin"],
      ["op@example.test", "operator"],
    ]);
    expect(await cli.lucid("user", "set-role", "op@example.test", "viewer")).toBe(0);
    expect(await cli.lucid("user", "delete", "op@example.test")).toBe(0);
    expect(await users()).toEqual([["root@example.test", "admin"]]);
    // Nothing printed carries a password.
    expect(cli.output.join("\n")).not.toMatch(/long password|another password/);
  });

  it("refuses without a password, with differing ones, a short one, a bad role and removing the last admin", async () => {
    expect(await userCreateCommand("a@example.test", {}, stdin(""))).toBe(1);
    expect(cli.output.pop()).toMatch(/no password given: .*--password-stdin/);
    expect(await userCreateCommand("a@example.test", {}, terminal("a long password", "a long passw0rd"))).toBe(1);
    expect(cli.output.pop()).toMatch(/passwords differ/);
    expect(await userCreateCommand("a@example.test", { passwordStdin: true }, stdin("short"))).toBe(1);
    expect(await userCreateCommand("a@example.test", { role: "root", passwordStdin: true }, stdin("a long password"))).toBe(1);
    expect(await users()).toEqual([]);

    await userCreateCommand("root@example.test", { admin: true, passwordStdin: true }, stdin("a long password"));
    expect(await cli.lucid("user", "set-role", "root@example.test", "viewer")).toBe(1);
    expect(await cli.lucid("user", "delete", "root@example.test")).toBe(1);
    expect(cli.output.pop()).toMatch(/last admin/);
    expect(await users()).toEqual([["root@example.test", "admin"]]);
  });

  it("audits CLI changes with the actor cli", async () => {
    await userCreateCommand("root@example.test", { admin: true, passwordStdin: true }, stdin("a long password"));
    await cli.lucid("token", "create", "ci");
    await cli.lucid("token", "revoke", "ci");
    const prisma = createPrismaClient();
    try {
      const events = await prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
      expect(events.map((e) => [e.actor, e.action, e.target])).toEqual([
        ["cli", "user.create", "user root@example.test"],
        ["cli", "token.create", "token ci"],
        ["cli", "token.revoke", "token ci"],
      ]);
    } finally {
      await prisma.$disconnect();
    }
  });
});

describe("options", () => {
  it("resolves --admin and --role", () => {
    expect(resolveRole({ admin: true })).toBe("admin");
    expect(resolveRole({ role: "operator" })).toBe("operator");
    expect(resolveRole({})).toBe("viewer");
    expect(() => resolveRole({ admin: true, role: "viewer" })).toThrow(/disagree/);
    expect(() => resolveRole({ role: "root" })).toThrow(/unknown role/);
  });

  it("drops one trailing newline from standard input, and nothing else", async () => {
    expect(await readNewPassword({ passwordStdin: true }, stdin("a long password\r\n"))).toBe("a long password");
    expect(await readNewPassword({ passwordStdin: true }, stdin(" a long password  "))).toBe(" a long password  ");
  });
});
