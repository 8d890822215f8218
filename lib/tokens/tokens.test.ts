import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "@/lib/cli/main";
import { createPrismaClient } from "@/lib/db/client";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { authenticateBearer, createToken, hashToken, listTokens, revokeToken, TokenError } from "@/lib/tokens/tokens";

let prisma: PrismaClient;
let url: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ prisma, url, cleanup } = await createTestDatabase());
});
afterEach(async () => cleanup());

const bearer = (token: string) => `Bearer ${token}`;

describe("createToken", () => {
  it("returns the secret once and stores only its SHA-256 and a display prefix", async () => {
    const created = await createToken(prisma, "ci");
    expect(created.token).toMatch(/^lucid_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: "ci", prefix: created.token.slice(0, 12), scopes: ["builds:write"] });

    const rows = await prisma.apiToken.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(hashToken(created.token));
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    // No column holds the secret, in whole or beyond the 12-character display prefix.
    for (const value of Object.values(rows[0]!)) {
      expect(String(value)).not.toContain(created.token);
      expect(String(value)).not.toContain(created.token.slice(12));
    }
  });

  it("makes a different secret every time", async () => {
    const a = await createToken(prisma, "a");
    const b = await createToken(prisma, "b");
    expect(a.token).not.toBe(b.token);
  });

  it("refuses a duplicate name and leaves the first token working", async () => {
    const first = await createToken(prisma, "ci");
    await expect(createToken(prisma, "ci")).rejects.toThrow(new TokenError('a token named "ci" already exists; choose another name or revoke that one'));
    expect(await prisma.apiToken.count()).toBe(1);
    expect(await authenticateBearer(prisma, bearer(first.token), "builds:write")).toMatchObject({ ok: true });
  });

  it.each(["", "a b", "x".repeat(65), "ci/prod", "ünïcode"])("refuses the name %j", async (name) => {
    await expect(createToken(prisma, name)).rejects.toThrow(/invalid token name .*1 to 64 characters/);
    expect(await prisma.apiToken.count()).toBe(0);
  });

  it("accepts names of 1 to 64 letters, digits, dots, underscores and dashes", async () => {
    await createToken(prisma, "x".repeat(64));
    await createToken(prisma, "pi5_builder-2.local");
    expect(await prisma.apiToken.count()).toBe(2);
  });

  it("refuses malformed scopes and an empty scope list", async () => {
    await expect(createToken(prisma, "ci", ["builds write"])).rejects.toThrow(/invalid scope "builds write"/);
    await expect(createToken(prisma, "ci", [])).rejects.toThrow(/at least one scope/);
    expect(await prisma.apiToken.count()).toBe(0);
  });
});

describe("listTokens", () => {
  it("lists name, prefix, scopes and times, never the hash", async () => {
    const created = await createToken(prisma, "ci", ["builds:write", "plan:read"]);
    const list = await listTokens(prisma);
    expect(list).toEqual([
      { name: "ci", prefix: created.prefix, scopes: ["builds:write", "plan:read"], createdAt: expect.any(Date), lastUsedAt: null, revokedAt: null },
    ]);
    expect(JSON.stringify(list)).not.toContain(hashToken(created.token));
    expect(Object.keys(list[0]!)).not.toContain("tokenHash");
  });
});

describe("revokeToken", () => {
  it("revokes: the token then gets 401, with the same message as an unknown token", async () => {
    const { token } = await createToken(prisma, "ci");
    const revoked = await revokeToken(prisma, "ci");
    expect(revoked.revokedAt).toBeInstanceOf(Date);

    const result = await authenticateBearer(prisma, bearer(token), "builds:write");
    const unknown = await authenticateBearer(prisma, bearer(`lucid_${"A".repeat(43)}`), "builds:write");
    expect(result).toEqual({ ok: false, status: 401, message: "invalid or revoked token" });
    expect(unknown).toEqual(result);
  });

  it("refuses an unknown name and a second revocation", async () => {
    await expect(revokeToken(prisma, "nope")).rejects.toThrow(new TokenError('no token named "nope"'));
    await createToken(prisma, "ci");
    await revokeToken(prisma, "ci");
    await expect(revokeToken(prisma, "ci")).rejects.toThrow(/token "ci" is already revoked \(since \d{4}-/);
  });
});

describe("authenticateBearer", () => {
  it("accepts a valid token with the scope and records when it was used", async () => {
    const created = await createToken(prisma, "ci");
    const before = new Date();
    const result = await authenticateBearer(prisma, bearer(created.token), "builds:write");
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { name: "ci" } });
    expect(result).toEqual({ ok: true, token: { id: row.id, name: "ci" } });
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
  });

  it.skipIf(onPostgres)("still authorizes when the last use cannot be written (a read-only database), and writes it at most once a minute", async () => {
    const { token } = await createToken(prisma, "ci");
    const readonly = createPrismaClient(url, { readonly: true });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      expect(await authenticateBearer(readonly, bearer(token), null)).toMatchObject({ ok: true, token: { name: "ci" } });
      expect(warn.mock.calls.join(" ")).toMatch(/could not record its last use/);
    } finally {
      warn.mockRestore();
      await readonly.$disconnect();
    }
    await authenticateBearer(prisma, bearer(token), null);
    const first = (await prisma.apiToken.findUniqueOrThrow({ where: { name: "ci" } })).lastUsedAt!;
    await authenticateBearer(prisma, bearer(token), null);
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { name: "ci" } })).lastUsedAt).toEqual(first);
  });

  it("accepts the scheme in any case", async () => {
    const { token } = await createToken(prisma, "ci");
    expect(await authenticateBearer(prisma, `bearer ${token}`, "builds:write")).toMatchObject({ ok: true });
  });

  it("answers 403 for a token without the scope, and does not count it as used", async () => {
    const { token } = await createToken(prisma, "reader", ["plan:read"]);
    expect(await authenticateBearer(prisma, bearer(token), "builds:write")).toEqual({
      ok: false,
      status: 403,
      message: 'token "reader" lacks the builds:write scope',
    });
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { name: "reader" } })).lastUsedAt).toBeNull();
  });

  it.each([
    [undefined, /missing Authorization header/],
    [null, /missing Authorization header/],
    ["", /missing Authorization header/],
    ["Basic dXNlcjpwYXNz", /must be: Bearer <token>/],
    ["Bearer", /must be: Bearer <token>/],
    ["Bearer a b", /must be: Bearer <token>/],
    ["Bearer not-a-lucid-token", /^invalid or revoked token$/],
  ])("answers 401 for the header %j", async (header, message) => {
    await createToken(prisma, "ci");
    const result = await authenticateBearer(prisma, header, "builds:write");
    expect(result).toMatchObject({ ok: false, status: 401, message: expect.stringMatching(message) });
  });

  it("never echoes the token in a message", async () => {
    const { token } = await createToken(prisma, "reader", ["plan:read"]);
    await revokeToken(prisma, "reader");
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const header of [bearer(token), bearer(forged), `Token ${token}`]) {
      const result = await authenticateBearer(prisma, header, "builds:write");
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).not.toContain(token.slice(6, 20));
    }
  });
});

describe("npx lucid token", () => {
  let dir: string;
  let stdout: string[];
  let stderr: string[];
  const savedUrl = process.env.DATABASE_URL;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "lucid-token-cli-"));
    process.env.DATABASE_URL = `file:${path.join(dir, "cli.db")}`;
    stdout = [];
    stderr = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void stdout.push(args.join(" ")));
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void stderr.push(args.join(" ")));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    process.env.DATABASE_URL = savedUrl;
    await rm(dir, { recursive: true, force: true });
  });

  const lucid = (...args: string[]) => main(["node", "lucid", ...args]);

  async function withCliDatabase<T>(action: (db: PrismaClient) => Promise<T>): Promise<T> {
    const db = createPrismaClient();
    try {
      return await action(db);
    } finally {
      await db.$disconnect();
    }
  }

  it("create prints the token alone on stdout, once, and says it will not be shown again", async () => {
    expect(await lucid("token", "create", "ci")).toBe(0);
    expect(stdout).toHaveLength(1);
    const token = stdout[0]!;
    expect(token).toMatch(/^lucid_[A-Za-z0-9_-]{43}$/);
    expect(stderr.join("\n")).toMatch(/will not be shown again/);
    const auth = await withCliDatabase((db) => authenticateBearer(db, bearer(token), "builds:write"));
    expect(auth).toMatchObject({ ok: true, token: { name: "ci" } });
  });

  it("create takes repeated --scope options", async () => {
    expect(await lucid("token", "create", "both", "--scope", "builds:write", "--scope", "plan:read")).toBe(0);
    expect(stderr[0]).toBe('Created token "both" with scope builds:write, plan:read:');
  });

  it("list shows a table without secrets; revoke marks the token revoked", async () => {
    expect(await lucid("token", "list")).toBe(0);
    expect(stdout).toEqual(["No tokens. Create one with: npx lucid token create NAME"]);
    await lucid("token", "create", "ci");
    const token = stdout.at(-1)!;
    expect(await lucid("token", "revoke", "ci")).toBe(0);
    expect(stdout.at(-1)).toBe(`Revoked token "ci" (${token.slice(0, 12)}…); requests with it are now refused.`);

    stdout = [];
    expect(await lucid("token", "list")).toBe(0);
    expect(stdout[0]).toMatch(/^NAME +PREFIX +SCOPES +CREATED +LAST USED +REVOKED$/);
    expect(stdout[1]).toMatch(new RegExp(`^ci +${token.slice(0, 12)}… +builds:write +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ +never +\\d{4}-`));
    expect(stdout.join("\n")).not.toContain(token.slice(12));
  });

  it.each([
    [["token", "create", "ci"], 'lucid: a token named "ci" already exists; choose another name or revoke that one'],
    [["token", "create", "bad name"], /^lucid: invalid token name "bad name"/],
    [["token", "revoke", "nope"], 'lucid: no token named "nope"'],
  ])("exits 1 with a one-line message: %j", async (args, message) => {
    await lucid("token", "create", "ci");
    stderr = [];
    expect(await lucid(...args)).toBe(1);
    expect(stderr).toHaveLength(1);
    if (typeof message === "string") expect(stderr[0]).toBe(message);
    else expect(stderr[0]).toMatch(message);
  });

  it("exits 1 on a second revocation, saying it is already revoked", async () => {
    await lucid("token", "create", "ci");
    await lucid("token", "revoke", "ci");
    stderr = [];
    expect(await lucid("token", "revoke", "ci")).toBe(1);
    expect(stderr).toEqual([expect.stringMatching(/^lucid: token "ci" is already revoked \(since /)]);
  });
});
