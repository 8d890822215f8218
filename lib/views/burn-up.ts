// The plan over time: how many images had a pushed build at each moment (a burn-up toward the required total),
// and, when the history allows it, when the rest should be pushed at the recent pace.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { median } from "@/lib/health/stats";

/** The pace is read over this window; older pushes say little about this week. */
const RATE_WINDOW_MS = 14 * 86_400_000;
/** A projection needs at least this many dated pushes in the window, spread over at least a day. */
const MIN_PUSHES = 3;
const MIN_SPAN_MS = 86_400_000;

export type BurnUpFacts = {
  required: number;
  /** Per image with a pushed build: when its first push finished; null when no pushed build of it has a time. */
  firstPushes: { image: string; at: Date | null }[];
  /** Images still without a pushed build, with the duration of their latest build that had one (null: none). */
  remaining: { image: string; lastDurationMs: number | null }[];
  /** Build times of the latest successful build of every image that has one: the estimate for the others. */
  knownDurationsMs: number[];
  /** How many plan images run on the Pi, as it last reported; null when it never reported. */
  deployedNow: number | null;
};

export type Projection =
  | {
      ok: true;
      /** When the last remaining image is expected to be pushed. */
      at: string;
      /** Images pushed per day over the window. */
      perDay: number;
      /** The remaining images' build time, end to end: the projection is never sooner than this. */
      expectedBuildMs: number;
      /** How many remaining images had no build time of their own and were estimated from the others. */
      estimated: number;
    }
  | { ok: false; reason: string };

export type BurnUp = {
  required: number;
  /** One step per dated first push, in time order, starting from the undated ones. */
  points: { at: string; pushed: number }[];
  /** Pushed images whose push has no recorded time (e.g. imported from the build summary): counted from the start. */
  undated: number;
  pushed: number;
  deployedNow: number | null;
  projection: Projection;
};

function project(facts: BurnUpFacts, dated: Date[], now: number): Projection {
  const left = facts.remaining.length;
  if (left === 0) return { ok: false, reason: "every image has a pushed build: nothing left to project" };
  const recent = dated.filter((d) => now - d.getTime() <= RATE_WINDOW_MS);
  const span = recent.length > 0 ? now - recent[0]!.getTime() : 0;
  if (recent.length < MIN_PUSHES || span < MIN_SPAN_MS) {
    return {
      ok: false,
      reason: `too little history to project: ${recent.length} image${recent.length === 1 ? "" : "s"} first pushed in the last 14 days${
        recent.length > 0 ? `, over ${span < 3_600_000 ? "less than an hour" : span < MIN_SPAN_MS ? "less than a day" : "more than a day"}` : ""
      }; a projection needs ${MIN_PUSHES} over at least a day`,
    };
  }
  const perDay = recent.length / (Math.min(span, RATE_WINDOW_MS) / 86_400_000);
  const fallback = median(facts.knownDurationsMs);
  let expectedBuildMs = 0;
  let estimated = 0;
  for (const image of facts.remaining) {
    if (image.lastDurationMs !== null) expectedBuildMs += image.lastDurationMs;
    else if (fallback !== null) {
      expectedBuildMs += fallback;
      estimated += 1;
    } else estimated += 1;
  }
  const byPace = (left / perDay) * 86_400_000;
  return { ok: true, at: new Date(now + Math.max(byPace, expectedBuildMs)).toISOString(), perDay: Math.round(perDay * 10) / 10, expectedBuildMs, estimated };
}

export function burnUpFrom(facts: BurnUpFacts, now: number): BurnUp {
  const dated = facts.firstPushes.flatMap((p) => (p.at ? [p.at] : [])).sort((a, b) => a.getTime() - b.getTime());
  const undated = facts.firstPushes.length - dated.length;
  const points = dated.map((at, i) => ({ at: at.toISOString(), pushed: undated + i + 1 }));
  return { required: facts.required, points, undated, pushed: facts.firstPushes.length, deployedNow: facts.deployedNow, projection: project(facts, dated, now) };
}

// SQLite answers epoch milliseconds and 0/1, PostgreSQL a Date and a boolean: Number() reads both.
type Row = { name: string; firstPushAt: number | bigint | string | Date | null; pushed: number | bigint | boolean; lastDurationMs: number | bigint | null; lastSuccessMs: number | bigint | null };

const toDate = (v: number | bigint | string | Date | null) => (v === null ? null : new Date(typeof v === "string" ? v : Number(v)));
const toNumber = (v: number | bigint | null) => (v === null ? null : Number(v));

/**
 * The facts from the build records in one statement, index seeks per image whatever the history size. A push is a
 * succeeded build with pushed set, as everywhere else (lib/builds/latest.ts).
 */
export async function getBurnUp(prisma: PrismaClient, deployedNow: number | null, now = Date.now()): Promise<BurnUp> {
  const [rows, phases] = await Promise.all([
    prisma.$queryRaw<Row[]>`
      SELECT i."name" AS "name",
        (SELECT MIN(b."finishedAt") FROM "Build" b WHERE b."imageId" = i."id" AND b."status" = 'succeeded' AND b."pushed") AS "firstPushAt",
        EXISTS (SELECT 1 FROM "Build" b WHERE b."imageId" = i."id" AND b."status" = 'succeeded' AND b."pushed") AS "pushed",
        (SELECT b."durationMs" FROM "Build" b WHERE b."imageId" = i."id" AND b."durationMs" IS NOT NULL ORDER BY b."id" DESC LIMIT 1) AS "lastDurationMs",
        (SELECT b."durationMs" FROM "Build" b WHERE b."imageId" = i."id" AND b."status" = 'succeeded' AND b."durationMs" IS NOT NULL ORDER BY b."id" DESC LIMIT 1) AS "lastSuccessMs"
      FROM "Image" i`,
    prisma.phase.aggregate({ _sum: { required: true } }),
  ]);
  const pushed = rows.filter((r) => Number(r.pushed) === 1);
  return burnUpFrom(
    {
      required: phases._sum.required ?? rows.length,
      firstPushes: pushed.map((r) => ({ image: r.name, at: toDate(r.firstPushAt) })),
      remaining: rows.filter((r) => Number(r.pushed) !== 1).map((r) => ({ image: r.name, lastDurationMs: toNumber(r.lastDurationMs) })),
      knownDurationsMs: rows.flatMap((r) => (r.lastSuccessMs === null ? [] : [Number(r.lastSuccessMs)])),
      deployedNow,
    },
    now,
  );
}
