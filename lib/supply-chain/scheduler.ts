// When the bases and attestations are checked on a schedule: every LUCID_BASE_CHECK_INTERVAL_MIN minutes (instrumentation.ts
// runs the check as a PeriodicTask). Off when unset: a check asks outside registries (Docker Hub, gcr.io) about the
// plan's bases, which a fresh install must not do unasked.
import type { Env } from "@/lib/env";

export function baseCheckIntervalMinutes(env: Env = process.env): number | null {
  const raw = env.LUCID_BASE_CHECK_INTERVAL_MIN?.trim();
  if (!raw) return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 5 || n > 10_080) throw new Error(`LUCID_BASE_CHECK_INTERVAL_MIN must be a whole number of minutes from 5 to 10080; got "${raw}"`);
  return n;
}

/** LUCID_BASE_CHECK_MIN_INTERVAL_S: a base asked more recently than this is not asked again (default 60 s; 0 in tests). */
export function baseCheckMinIntervalMs(env: Env = process.env): number {
  const raw = env.LUCID_BASE_CHECK_MIN_INTERVAL_S?.trim();
  if (!raw) return 60_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 86_400) throw new Error(`LUCID_BASE_CHECK_MIN_INTERVAL_S must be a whole number of seconds from 0 to 86400; got "${raw}"`);
  return n * 1000;
}
