// Writes probe results: samples, each image's current status, and the incidents state changes open and close.
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { takeWriteLock } from "@/lib/db/write-lock";
import { isStoredHealthState } from "@/lib/db/vocabulary";
import type { ProbeResult } from "@/lib/health/probe";
import type { Db } from "@/lib/health/settings";
import { nextStatus, type StatusRow } from "@/lib/health/state";
import { hourOf } from "@/lib/health/rollup";
import { checkedService } from "@/lib/health/outcomes";
import { notifyServiceChanges, type ServiceChange } from "@/lib/notifications/service-events";

export type Sample = ProbeResult & { imageId: number; at: Date };

export type RecordSummary = { samples: number; opened: number[]; closed: number[] };

// Generous: a sweep's writes take milliseconds, but SQLite runs one writer at a time (builds write too).
const TRANSACTION = { timeout: 60_000, maxWait: 30_000 } as const;

/** Records the samples of one sweep (or one check) and what they change, in one transaction. */
export async function recordSamples(db: PrismaClient, samples: Sample[], threshold: number, notifyHoldMs = 0): Promise<RecordSummary> {
  if (samples.length === 0) return { samples: 0, opened: [], closed: [] };
  const sorted = [...samples].sort((a, b) => a.at.getTime() - b.at.getTime());
  return db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    // An image removed by a plan import while it was being probed has nowhere to keep its sample.
    const existing = await tx.image.findMany({ where: { id: { in: [...new Set(sorted.map((s) => s.imageId))] } }, select: { id: true } });
    const imageIds = existing.map((i) => i.id);
    const known = new Set(imageIds);
    const ordered = sorted.filter((s) => known.has(s.imageId));
    if (ordered.length === 0) return { samples: 0, opened: [], closed: [] };
    await insertSamples(tx, ordered);
    await countHours(tx, ordered);
    const statuses = await currentStatuses(tx, imageIds);
    const before = new Map([...statuses].map(([id, st]) => [id, st.state]));
    const lastAt = new Map<number, Date>();
    const opened: { imageId: number; startedAt: Date; kind: "down" | "degraded"; reason: string }[] = [];
    const closed: { imageId: number; endedAt: Date }[] = [];
    for (const sample of ordered) {
      const step = nextStatus(statuses.get(sample.imageId) ?? null, sample, threshold);
      statuses.set(sample.imageId, step.status);
      lastAt.set(sample.imageId, sample.at);
      if (step.closeIncident) closed.push({ imageId: sample.imageId, endedAt: sample.at });
      if (step.openIncident) opened.push({ imageId: sample.imageId, startedAt: sample.at, ...step.openIncident });
    }
    await upsertStatuses(tx, imageIds.map((imageId) => ({ imageId, ...statuses.get(imageId)!, lastSampleAt: lastAt.get(imageId)! })));
    for (const { imageId, endedAt } of closed) await tx.healthIncident.updateMany({ where: { imageId, endedAt: null }, data: { endedAt } });
    if (opened.length > 0) await tx.healthIncident.createMany({ data: opened });
    await notifyServiceChanges(tx, serviceChanges(opened, before, statuses), notifyHoldMs);
    return { samples: ordered.length, opened: opened.map((o) => o.imageId), closed: closed.map((c) => c.imageId) };
  }, TRANSACTION);
}

/**
 * What to tell: a problem opened (down or degraded), or the service up again after anything but up (degraded →
 * failing → up closes no incident on the way up, yet a told "degraded" needs its "recovered"; the sender sends a
 * recovery only after a told problem).
 */
function serviceChanges(opened: { imageId: number; kind: string; reason: string }[], before: Map<number, string>, statuses: Map<number, StatusRow>): ServiceChange[] {
  const changes: ServiceChange[] = opened.map((o) => ({ imageId: o.imageId, state: o.kind as "down" | "degraded", reason: o.reason }));
  for (const [imageId, status] of statuses) {
    const was = before.get(imageId) ?? "unknown";
    if (status.state === "up" && was !== "up" && was !== "unknown" && !opened.some((o) => o.imageId === imageId)) changes.push({ imageId, state: "up", reason: null });
  }
  return changes;
}

// The two writes every sweep makes are multi-row SQL statements: Prisma's createMany and upsert cost
// tens of ms for 35 rows and hundreds for 1,000, which would push a sweep well past one timeout.
// Times are bound as Dates: the SQLite adapter stores epoch milliseconds (timestampFormat "unixepoch-ms",
// lib/db/client.ts), PostgreSQL a timestamp.
const ROWS_PER_STATEMENT = 500;

async function insertSamples(db: Db, samples: Sample[]): Promise<void> {
  for (let i = 0; i < samples.length; i += ROWS_PER_STATEMENT) {
    const rows = samples
      .slice(i, i + ROWS_PER_STATEMENT)
      .map((s) => Prisma.sql`(${s.imageId}, ${s.at}, ${s.outcome}, ${s.httpStatus}, ${s.latencyMs}, ${s.error?.slice(0, 500) ?? null})`);
    await db.$executeRaw`INSERT INTO "HealthSample" ("imageId", "at", "outcome", "httpStatus", "latencyMs", "error") VALUES ${Prisma.join(rows)}`;
  }
}

/**
 * Adds the samples to their hours' counts (HealthRollup: samples, up, degraded), so uptime over any range reads at
 * most one row per image and hour, never the raw samples. Latency figures are added when the hour is compacted.
 * Probes that did not check the service are not counted: uptime is over the probes that did.
 */
async function countHours(db: Db, samples: Sample[]): Promise<void> {
  const hours = new Map<string, { imageId: number; hour: Date; samples: number; up: number; degraded: number }>();
  for (const s of samples) {
    if (!checkedService(s.outcome)) continue;
    const hour = hourOf(s.at.getTime());
    const key = `${s.imageId}:${hour.getTime()}`;
    const count = hours.get(key) ?? { imageId: s.imageId, hour, samples: 0, up: 0, degraded: 0 };
    count.samples++;
    if (s.outcome === "up") count.up++;
    if (s.outcome === "degraded") count.degraded++;
    hours.set(key, count);
  }
  const all = [...hours.values()];
  for (let i = 0; i < all.length; i += ROWS_PER_STATEMENT) {
    const rows = all.slice(i, i + ROWS_PER_STATEMENT).map((h) => Prisma.sql`(${h.imageId}, ${h.hour}, ${h.samples}, ${h.up}, ${h.degraded})`);
    await db.$executeRaw`INSERT INTO "HealthRollup" ("imageId", "hour", "samples", "up", "degraded") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("imageId", "hour") DO UPDATE SET "samples" = "HealthRollup"."samples" + excluded."samples", "up" = "HealthRollup"."up" + excluded."up",
        "degraded" = "HealthRollup"."degraded" + excluded."degraded"`;
  }
}

async function upsertStatuses(db: Db, statuses: (StatusRow & { imageId: number; lastSampleAt: Date })[]): Promise<void> {
  for (let i = 0; i < statuses.length; i += ROWS_PER_STATEMENT) {
    const rows = statuses
      .slice(i, i + ROWS_PER_STATEMENT)
      .map((s) => Prisma.sql`(${s.imageId}, ${s.state}, ${s.since}, ${s.consecutiveFailures}, ${s.lastSampleAt}, ${s.uncheckedSince})`);
    await db.$executeRaw`INSERT INTO "HealthStatus" ("imageId", "state", "since", "consecutiveFailures", "lastSampleAt", "uncheckedSince") VALUES ${Prisma.join(rows)}
      ON CONFLICT ("imageId") DO UPDATE SET "state" = excluded."state", "since" = excluded."since",
        "consecutiveFailures" = excluded."consecutiveFailures", "lastSampleAt" = excluded."lastSampleAt", "uncheckedSince" = excluded."uncheckedSince"`;
  }
}

async function currentStatuses(db: Db, imageIds: number[]): Promise<Map<number, StatusRow>> {
  const rows = await db.healthStatus.findMany({ where: { imageId: { in: imageIds } } });
  return new Map(
    rows.map((r) => [
      r.imageId,
      { state: isStoredHealthState(r.state) ? r.state : "unknown", since: r.since, consecutiveFailures: r.consecutiveFailures, uncheckedSince: r.uncheckedSince },
    ]),
  );
}

/**
 * Forgets the health of images whose target changed (or of every image, `null`): their state starts again
 * from `unknown`, and incidents still open end now, since what they described is no longer polled.
 */
export async function resetHealth(db: Db, imageIds: number[] | null, at: Date): Promise<void> {
  const where = imageIds === null ? {} : { imageId: { in: imageIds } };
  await db.healthStatus.deleteMany({ where });
  await db.healthIncident.updateMany({ where: { ...where, endedAt: null }, data: { endedAt: at } });
}
