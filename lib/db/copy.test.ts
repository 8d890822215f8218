import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { copySqliteToPostgres } from "@/lib/db/copy";
import { deployMigrations } from "@/lib/db/migrations";
import { postgresAvailable, startPostgres, type PostgresServer } from "@/lib/db/postgres-server";
import type { PrismaClient } from "@/lib/generated/prisma/client";

let server: PostgresServer;
let dir: string;
let sourceFile: string;

async function seed(db: PrismaClient): Promise<void> {
  const phase = await db.phase.create({ data: { number: 4, name: "Application services", category: "apps", required: 2 } });
  const image = await db.image.create({
    data: { name: "lucid-session-api", step: 17, title: "Session API", repository: "pickme/lucid-session-api", tags: ["latest-arm64"], dockerfile: "Dockerfile", context: ".", platforms: ["linux/arm64"], phaseId: phase.id, healthTargetSetAt: new Date("2026-11-02T03:04:05.678Z") },
  });
  await db.build.create({
    data: {
      imageId: image.id, status: "succeeded", source: "dashboard", pushed: true, digest: "sha256:" + "a".repeat(64), tags: ["latest-arm64"], platforms: ["linux/arm64"],
      queuedAt: new Date("2026-11-01T10:00:00.123Z"), finishedAt: new Date("2026-11-01T10:05:00Z"), durationMs: 300_000,
      sizes: { create: [{ platform: "linux/arm64", compressedBytes: 123_456_789, config: { User: "65532:65532" } }] },
    },
  });
  await db.build.create({ data: { imageId: image.id, status: "failed", source: "api", tags: [], platforms: [], failureReason: "exit 1 — ünïcode" } });
  await db.healthSample.create({ data: { imageId: image.id, at: new Date("2026-11-03T00:00:00Z"), outcome: "degraded", httpStatus: 200, latencyMs: 12 } });
  await db.user.create({ data: { id: "u1", name: "Ada", email: "ada@example.test", emailVerified: true, role: "admin" } });
  await db.auditEvent.create({ data: { actor: "cli", action: "plan.import", detail: { images: 35, nested: { ok: true } } } });
}

beforeAll(async () => {
  if (!postgresAvailable()) return;
  server = await startPostgres();
  dir = await mkdtemp(path.join(tmpdir(), "lucid-copy-"));
  sourceFile = path.join(dir, "lucid.db");
  await deployMigrations({ databaseUrl: `file:${sourceFile}` });
  const source = createPrismaClient(`file:${sourceFile}`);
  await seed(source);
  await source.$disconnect();
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!postgresAvailable())("copySqliteToPostgres (a real PostgreSQL on 127.0.0.1)", () => {
  it("copies every row with its times, flags, JSON and enums, counts match, and new rows get new ids", async () => {
    const url = await server.createDatabase();
    const result = await copySqliteToPostgres(sourceFile, url);
    expect(result.tables.every((t) => t.source === t.target)).toBe(true);
    expect(result.tables.find((t) => t.table === "Build")).toEqual({ table: "Build", source: 2, target: 2 });
    expect(result.rows).toBe(8);

    const copied = createPrismaClient(url);
    try {
      const image = await copied.image.findUniqueOrThrow({ where: { name: "lucid-session-api" }, include: { builds: { include: { sizes: true }, orderBy: { id: "asc" } } } });
      expect(image.healthTargetSetAt?.toISOString()).toBe("2026-11-02T03:04:05.678Z");
      expect(image.tags).toEqual(["latest-arm64"]);
      expect(image.builds[0]).toMatchObject({ status: "succeeded", pushed: true, durationMs: 300_000 });
      expect(image.builds[0]!.queuedAt?.toISOString()).toBe("2026-11-01T10:00:00.123Z");
      expect(image.builds[0]!.sizes[0]).toMatchObject({ compressedBytes: 123_456_789, config: { User: "65532:65532" } });
      expect(image.builds[1]).toMatchObject({ status: "failed", pushed: false, failureReason: "exit 1 — ünïcode" });
      expect(await copied.healthSample.findFirst()).toMatchObject({ outcome: "degraded", latencyMs: 12 });
      expect(await copied.user.findUnique({ where: { id: "u1" } })).toMatchObject({ emailVerified: true, role: "admin" });
      expect((await copied.auditEvent.findFirst())?.detail).toEqual({ images: 35, nested: { ok: true } });
      // The id sequences continue after the copied rows.
      const next = await copied.build.create({ data: { imageId: image.id, status: "queued", source: "dashboard", tags: [], platforms: [] } });
      expect(next.id).toBeGreaterThan(image.builds[1]!.id);
    } finally {
      await copied.$disconnect();
    }
  });

  it("refuses a target that already holds data and leaves it as it was", async () => {
    const url = await server.createDatabase();
    await copySqliteToPostgres(sourceFile, url);
    await expect(copySqliteToPostgres(sourceFile, url)).rejects.toThrow(/already holds data \(.*\): copy into an empty database/);
    const db = createPrismaClient(url);
    try {
      expect(await db.build.count()).toBe(2);
    } finally {
      await db.$disconnect();
    }
  });

  it("refuses a source that is not a dashboard database, before touching the target", async () => {
    const url = await server.createDatabase();
    const empty = path.join(dir, "empty.db");
    await expect(copySqliteToPostgres(empty, url)).rejects.toThrow(/no migrations applied|not a dashboard database/);
    const probe = createPrismaClient(url);
    try {
      await expect(probe.build.count()).rejects.toThrow();
    } finally {
      await probe.$disconnect();
    }
  });
});
