import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ProbeOutcome } from "@/lib/db/vocabulary";
import { healthOverview, imageHealth } from "@/lib/health/queries";
import { rollupCutoff, rollupHealth } from "@/lib/health/rollup";
import { median, percentile } from "@/lib/health/stats";
import { recordSamples } from "@/lib/health/record";
import { seedDefaults } from "@/lib/plan/seed";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
let a: number;
let b: number;

const NOW = new Date("2026-01-10T12:30:00Z");
const at = (iso: string) => new Date(iso);
const sample = (imageId: number, when: string, outcome: ProbeOutcome, latencyMs: number) => ({ imageId, at: at(when), outcome, latencyMs, httpStatus: outcome === "up" ? 200 : null });

beforeAll(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
  a = (await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } })).id;
  b = (await prisma.image.findUniqueOrThrow({ where: { name: "lucid-auth-service" } })).id;
  await prisma.healthSample.createMany({
    data: [
      // Jan 2, 10:00 hour: three up (10, 20, 30 ms) and a timeout.
      sample(a, "2026-01-02T10:00:00Z", "up", 10),
      sample(a, "2026-01-02T10:15:00Z", "up", 30),
      sample(a, "2026-01-02T10:30:00Z", "timeout", 5000),
      sample(a, "2026-01-02T10:59:59Z", "up", 20),
      // Jan 2, 11:00 hour: twenty up, 1..20 ms.
      ...Array.from({ length: 20 }, (_, i) => sample(a, `2026-01-02T11:${String(i * 2).padStart(2, "0")}:00Z`, "up", 20 - i)),
      // Another image, same first hour: all down.
      sample(b, "2026-01-02T10:05:00Z", "down", 3),
      sample(b, "2026-01-02T10:35:00Z", "refused", 1),
      // The cutoff is 2026-01-03T12:00: 11:59 is rolled up, 12:10 (inside the cutoff's hour) is kept.
      sample(a, "2026-01-03T11:59:00Z", "up", 7),
      sample(a, "2026-01-03T12:10:00Z", "up", 8),
      // Recent.
      sample(a, "2026-01-10T12:00:00Z", "up", 5),
      sample(a, "2026-01-10T12:20:00Z", "down", 2),
    ],
  });
});
afterAll(async () => cleanup());

const rollups = () => prisma.healthRollup.findMany({ orderBy: [{ imageId: "asc" }, { hour: "asc" }], omit: { id: true } });

describe("rollupHealth", () => {
  it("starts the cutoff at the hour the retention window begins in", () => {
    expect(rollupCutoff(NOW, 7)).toEqual(at("2026-01-03T12:00:00Z"));
  });

  it("rolls old samples up per image and hour with uptime, median and p95, and deletes them", async () => {
    expect(await rollupHealth(prisma, { retentionDays: 7, now: NOW })).toEqual({ hours: 4, samples: 27 });
    const rows = await rollups();
    expect(rows).toHaveLength(4);
    expect(rows).toEqual(expect.arrayContaining([
      { imageId: a, hour: at("2026-01-02T10:00:00Z"), samples: 4, up: 3, degraded: 0, medianMs: 20, p95Ms: 30 },
      { imageId: a, hour: at("2026-01-02T11:00:00Z"), samples: 20, up: 20, degraded: 0, medianMs: 11, p95Ms: 19 },
      { imageId: a, hour: at("2026-01-03T11:00:00Z"), samples: 1, up: 1, degraded: 0, medianMs: 7, p95Ms: 7 },
      { imageId: b, hour: at("2026-01-02T10:00:00Z"), samples: 2, up: 0, degraded: 0, medianMs: null, p95Ms: null },
    ]));
    const left = await prisma.healthSample.findMany({ orderBy: { at: "asc" }, select: { at: true } });
    expect(left.map((s) => s.at.toISOString())).toEqual(["2026-01-03T12:10:00.000Z", "2026-01-10T12:00:00.000Z", "2026-01-10T12:20:00.000Z"]);
  });

  it("changes nothing when run again", async () => {
    const before = { rollups: await prisma.healthRollup.findMany(), samples: await prisma.healthSample.findMany() };
    expect(await rollupHealth(prisma, { retentionDays: 7, now: NOW })).toEqual({ hours: 0, samples: 0 });
    expect({ rollups: await prisma.healthRollup.findMany(), samples: await prisma.healthSample.findMany() }).toEqual(before);
  });

  it("counts rollups with samples in 7 d uptime (and in 24 h when they fall inside it)", async () => {
    const detail = (await imageHealth(prisma, "lucid-session-api", at("2026-01-09T10:00:00Z")))!;
    // From Jan 2 10:00: rollups 3/4, 20/20 and 1/1, and the Jan 3 12:10 sample (up); later samples are after "now".
    expect(detail.uptime7d).toBeCloseTo(25 / 26);
    const overview = await healthOverview(prisma, at("2026-01-04T11:00:00Z"));
    // 24 h from Jan 3 11:00: the Jan 3 11:00 rollup (1/1) and the 12:10 sample (up).
    expect(overview.images.find((i) => i.name === "lucid-session-api")!.uptime24h).toBe(1);
  });
});

describe("median and percentile", () => {
  it("use the middle (mean of the middle two) and the nearest rank", () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(3);
    expect(percentile([], 95)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});

describe("hourly counts", () => {
  it("are kept as samples are recorded, and compacting an hour adds its latency without counting it twice", async () => {
    const { prisma: db, cleanup: done } = await createTestDatabase();
    try {
      await seedDefaults(db);
      const { id } = await db.image.findUniqueOrThrow({ where: { name: "lucid-vm" } });
      const probe = (when: string, outcome: ProbeOutcome, latencyMs: number) => ({ imageId: id, at: at(when), outcome, latencyMs, httpStatus: 200, error: null });
      await recordSamples(db, [probe("2026-01-02T10:00:00Z", "up", 10), probe("2026-01-02T10:20:00Z", "degraded", 20), probe("2026-01-02T10:40:00Z", "up", 30)], 3);
      const live = await db.healthRollup.findMany({ where: { imageId: id }, omit: { id: true } });
      expect(live).toEqual([{ imageId: id, hour: at("2026-01-02T10:00:00Z"), samples: 3, up: 2, degraded: 1, medianMs: null, p95Ms: null }]);
      await rollupHealth(db, { retentionDays: 7, now: NOW });
      expect(await db.healthRollup.findMany({ where: { imageId: id }, omit: { id: true } })).toEqual([{ ...live[0], medianMs: 20, p95Ms: 30 }]);
      expect(await db.healthSample.count({ where: { imageId: id } })).toBe(0);
    } finally {
      await done();
    }
  });
});
