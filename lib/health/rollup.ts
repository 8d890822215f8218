// Samples older than the retention window become one row per image and hour, then are deleted.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { checkedService, isUp } from "@/lib/health/outcomes";
import { median, percentile } from "@/lib/health/stats";

export const HOUR_MS = 3_600_000;

/** The start of the hour `ms` falls in: samples are counted per hour (HealthRollup), so ranges start on an hour. */
export const hourOf = (ms: number): Date => new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
const DAY_MS = 24 * HOUR_MS;

export type RollupResult = { hours: number; samples: number };

/**
 * The cutoff is the start of the hour the retention window begins in, so an hour is always rolled up whole
 * and at most once; rolling up again finds nothing older and changes nothing. Latency figures are those of
 * the `up` samples (a timeout's latency is the timeout, not the service's). An hour's counts are kept as samples
 * are recorded (lib/health/record.ts); compacting adds the latency figures, and counts only an hour that has no
 * row yet (samples written some other way, or before the counts were kept).
 */
export function rollupCutoff(now: Date, retentionDays: number): Date {
  return hourOf(now.getTime() - retentionDays * DAY_MS);
}

type Bucket = { imageId: number; hour: Date; samples: number; up: number; degraded: number; latencies: number[] };

export async function rollupHealth(db: PrismaClient, options: { retentionDays: number; now?: Date }): Promise<RollupResult> {
  const cutoff = rollupCutoff(options.now ?? new Date(), options.retentionDays);
  return db.$transaction(
    async (tx) => {
      const old = await tx.healthSample.findMany({ where: { at: { lt: cutoff } }, select: { imageId: true, at: true, outcome: true, latencyMs: true } });
      if (old.length === 0) return { hours: 0, samples: 0 };
      const buckets = bucketByHour(old);
      for (const b of buckets) {
        const latency = { medianMs: median(b.latencies), p95Ms: percentile(b.latencies, 95) };
        await tx.healthRollup.upsert({
          where: { imageId_hour: { imageId: b.imageId, hour: b.hour } },
          create: { imageId: b.imageId, hour: b.hour, samples: b.samples, up: b.up, degraded: b.degraded, ...latency },
          update: latency,
        });
      }
      await tx.healthSample.deleteMany({ where: { at: { lt: cutoff } } });
      return { hours: buckets.length, samples: old.length };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

function bucketByHour(samples: { imageId: number; at: Date; outcome: string; latencyMs: number | null }[]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const s of samples) {
    if (!checkedService(s.outcome)) continue; // as lib/health/record.ts counts them
    const hour = hourOf(s.at.getTime());
    const key = `${s.imageId}:${hour.getTime()}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = { imageId: s.imageId, hour, samples: 0, up: 0, degraded: 0, latencies: [] }));
    bucket.samples++;
    if (s.outcome === "degraded") bucket.degraded++;
    if (isUp(s.outcome)) {
      bucket.up++;
      if (s.latencyMs !== null) bucket.latencies.push(s.latencyMs);
    }
  }
  return [...buckets.values()];
}
