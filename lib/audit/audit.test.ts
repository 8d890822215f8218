import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { audit, REDACTED, sanitizeDetail } from "@/lib/audit/audit";
import { listAuditEvents, parseAuditFilters } from "@/lib/audit/queries";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
});
afterEach(async () => cleanup());

describe("audit", () => {
  it("writes one event with actor, action, target and detail", async () => {
    await audit("user ada@example.test", "build.start", "image lucid-vm", { build: 7, source: "dashboard" }, prisma);
    const [event] = await prisma.auditEvent.findMany();
    expect(event).toMatchObject({ actor: "user ada@example.test", action: "build.start", target: "image lucid-vm", detail: { build: 7, source: "dashboard" } });
    expect(event!.at.getTime()).toBeGreaterThan(Date.now() - 5_000);
  });

  it("leaves the detail empty when there is none", async () => {
    await audit("cli", "auth.sign_out", null, null, prisma);
    expect((await prisma.auditEvent.findFirstOrThrow()).detail).toBeNull();
  });

  it("never stores secret-named values, at any depth", async () => {
    await audit("system", "user.create", "user a@b.c", { password: "hunter22hunter", nested: { token: "lucid_x", Authorization: "Bearer y", ok: 1 }, list: [{ secret: "s" }] }, prisma);
    const { detail } = await prisma.auditEvent.findFirstOrThrow();
    expect(detail).toEqual({ password: REDACTED, nested: { token: REDACTED, Authorization: REDACTED, ok: 1 }, list: [{ secret: REDACTED }] });
    expect(JSON.stringify(detail)).not.toMatch(/hunter22|lucid_x|Bearer y/);
  });

  it("is part of the caller's transaction: rolled back with it", async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await audit("cli", "plan.import", "plan x", null, tx);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await prisma.auditEvent.count()).toBe(0);
  });
});

describe("sanitizeDetail", () => {
  it("cuts long strings and long lists, and stringifies what JSON cannot hold", () => {
    expect(sanitizeDetail("x".repeat(600))).toHaveLength(500);
    expect(sanitizeDetail(Array.from({ length: 60 }, (_, i) => i))).toHaveLength(51);
    expect(sanitizeDetail({ at: new Date("2026-01-02T03:04:05Z"), n: Number.NaN, big: 10n })).toEqual({ at: "2026-01-02T03:04:05.000Z", n: "NaN", big: "10" });
    expect(sanitizeDetail({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: "[…]" } } } });
  });
});

describe("listAuditEvents", () => {
  it("filters by action, actor and UTC days, newest first, in pages", async () => {
    const rows = [
      { at: new Date("2026-11-01T10:00:00Z"), actor: "user ada@example.test", action: "build.start", target: "image a" },
      { at: new Date("2026-11-02T23:59:59Z"), actor: "token ci", action: "build.report", target: "image b" },
      { at: new Date("2026-11-03T00:00:00Z"), actor: "user bob@example.test", action: "build.start", target: "image c" },
      ...Array.from({ length: 55 }, (_, i) => ({ at: new Date(Date.UTC(2026, 10, 10, 0, i)), actor: "cli", action: "plan.import", target: `plan ${i}` })),
    ];
    await prisma.auditEvent.createMany({ data: rows });

    const starts = await listAuditEvents(prisma, parseAuditFilters({ action: "build.start" }));
    expect(starts.events.map((e) => e.target)).toEqual(["image c", "image a"]);
    expect((await listAuditEvents(prisma, parseAuditFilters({ actor: "ADA@" }))).events.map((e) => e.target)).toEqual(["image a"]);
    const window = await listAuditEvents(prisma, parseAuditFilters({ from: "2026-11-02", to: "2026-11-02" }));
    expect(window.events.map((e) => e.target)).toEqual(["image b"]);

    const first = await listAuditEvents(prisma, parseAuditFilters({}));
    expect(first).toMatchObject({ total: 58, page: 1, pages: 2 });
    expect(first.events).toHaveLength(50);
    expect(first.events[0]!.target).toBe("plan 54");
    const second = await listAuditEvents(prisma, parseAuditFilters({ page: "2" }));
    expect(second.events.map((e) => e.target).slice(-3)).toEqual(["image c", "image b", "image a"]);
    // Past the last page: the last page.
    expect((await listAuditEvents(prisma, parseAuditFilters({ page: "9" }))).page).toBe(2);
  });

  it("drops malformed filters instead of failing", () => {
    expect(parseAuditFilters({ action: "rm -rf", from: "2026-02-30", to: "yesterday", page: "-1", actor: "  " })).toEqual({ action: null, actor: null, from: null, to: null, page: 1 });
  });
});
