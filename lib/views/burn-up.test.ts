import { describe, expect, it } from "vitest";
import { useSeededDatabase } from "@/lib/testing/seeded-database";
import { burnUpFrom, getBurnUp, type BurnUpFacts } from "@/lib/views/burn-up";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW - d * DAY);

const facts = (over: Partial<BurnUpFacts> = {}): BurnUpFacts => ({
  required: 10,
  firstPushes: [],
  remaining: [],
  knownDurationsMs: [],
  deployedNow: null,
  ...over,
});

describe("burn-up", () => {
  it("steps up at each dated first push, counting undated pushes from the start", () => {
    const up = burnUpFrom(facts({ firstPushes: [{ image: "a", at: null }, { image: "c", at: daysAgo(1) }, { image: "b", at: daysAgo(3) }] }), NOW);
    expect(up.undated).toBe(1);
    expect(up.points).toEqual([
      { at: daysAgo(3).toISOString(), pushed: 2 },
      { at: daysAgo(1).toISOString(), pushed: 3 },
    ]);
  });

  it("says plainly when there is too little history to project", () => {
    const minutes = burnUpFrom(facts({ firstPushes: [1, 2, 3].map((m) => ({ image: `i${m}`, at: new Date(NOW - m * 60_000) })), remaining: [{ image: "x", lastDurationMs: null }] }), NOW);
    expect(minutes.projection).toEqual({ ok: false, reason: expect.stringMatching(/^too little history to project: 3 images first pushed in the last 14 days, over less than an hour; a projection needs 3 over at least a day$/) });
    const old = burnUpFrom(facts({ firstPushes: [{ image: "a", at: daysAgo(30) }], remaining: [{ image: "x", lastDurationMs: null }] }), NOW);
    expect(old.projection.ok).toBe(false);
  });

  it("projects from the recent pace, never sooner than the remaining images' build time", () => {
    // 4 images in the last 8 days: 0.5 a day; 2 left: 4 days at that pace.
    const pushes = [8, 6, 4, 2].map((d, i) => ({ image: `p${i}`, at: daysAgo(d) }));
    const up = burnUpFrom(facts({ firstPushes: pushes, remaining: [{ image: "x", lastDurationMs: 600_000 }, { image: "y", lastDurationMs: null }], knownDurationsMs: [300_000, 500_000, 700_000] }), NOW);
    expect(up.projection).toEqual({ ok: true, at: new Date(NOW + 4 * DAY).toISOString(), perDay: 0.5, expectedBuildMs: 600_000 + 500_000, estimated: 1 });
    // Slow builds: 2 left of 3 days each take longer than the pace says.
    const slow = burnUpFrom(facts({ firstPushes: pushes, remaining: [{ image: "x", lastDurationMs: 3 * DAY }, { image: "y", lastDurationMs: 3 * DAY }] }), NOW);
    expect(slow.projection).toMatchObject({ ok: true, at: new Date(NOW + 6 * DAY).toISOString() });
  });
});

describe("burn-up from the build records", () => {
  const db = useSeededDatabase();

  it("counts the summary's imported pushes as undated and dates the ones with a finish time", async () => {
    const { id: imageId } = await db.prisma.image.findUniqueOrThrow({ where: { name: "lucid-auth-service" } });
    await db.prisma.build.create({ data: { imageId, status: "failed", source: "api", tags: [], platforms: [], durationMs: 90_000, finishedAt: daysAgo(2) } });
    await db.prisma.build.create({ data: { imageId, status: "succeeded", source: "api", tags: [], platforms: [], pushed: true, durationMs: 120_000, finishedAt: daysAgo(1) } });
    await db.prisma.build.create({ data: { imageId, status: "succeeded", source: "api", tags: [], platforms: [], pushed: true, finishedAt: new Date(NOW) } });
    const up = await getBurnUp(db.prisma, 2, NOW);
    expect(up.required).toBe(35);
    expect(up.undated).toBe(8);
    expect(up.pushed).toBe(9);
    expect(up.points).toEqual([{ at: daysAgo(1).toISOString(), pushed: 9 }]);
    expect(up.deployedNow).toBe(2);
    expect(up.projection.ok).toBe(false);
  });
});
