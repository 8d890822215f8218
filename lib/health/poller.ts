// The one health poller of this process: every interval, probe every target on the deployment host.
import { mapWithLimit } from "@/lib/concurrency";
import { prisma } from "@/lib/db/client";
import { takeWriteLock } from "@/lib/db/write-lock";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type ProbeOutcome, type StoredHealthState } from "@/lib/db/vocabulary";
import { probe as realProbe, type Probe, type ProbeResult } from "@/lib/health/probe";
import { recordSamples, resetHealth, type Sample } from "@/lib/health/record";
import { HOUR_MS, rollupHealth } from "@/lib/health/rollup";
import { deployTargetFromEnv, getDeployTarget, healthSettings, proberSettings, storeDeployTarget, type DeployTarget, type Env, type HealthSettings } from "@/lib/health/settings";
import { listTargets, type HealthTarget } from "@/lib/health/targets";
import { probeMap } from "@/lib/health/probe-map";
import { probeFor } from "@/lib/health/blackbox";
import { audit, type Actor } from "@/lib/audit/audit";
import { instancesMayShare, releaseLease, tryLease } from "@/lib/db/lease";
import { PeriodicTask } from "@/lib/concurrency";
import { probedState } from "@/lib/health/state";
import { processHolder } from "@/lib/server/instance";

export type SweepReport = {
  /** False when no deployment host is set: nothing was probed. */
  enabled: boolean;
  targets: number;
  outcomes: Partial<Record<ProbeOutcome, number>>;
  probeMs: number;
  recordMs: number;
  durationMs: number;
};

export type CheckResult =
  | { ok: true; url: string; result: ProbeResult; state: StoredHealthState | "not_checked" }
  | { ok: false; reason: "no_host" | "unknown_image" | "no_target" | "not_deployed"; message: string };

/** At most this share of the interval is used to spread the starts of one sweep. */
const JITTER_SHARE = 0.1;

/** The lease that makes one instance on the database the one that probes. */
export const POLLER_LEASE = "health-poller";

/**
 * How often the poller's lease is renewed (or sought by the instances that do not hold it), and how long it holds:
 * a holder that dies is replaced within 4 periods, at most one interval.
 */
export function leaseTiming(intervalMs: number): { everyMs: number; ttlMs: number } {
  const everyMs = Math.min(15_000, Math.max(250, Math.floor(intervalMs / 4)));
  return { everyMs, ttlMs: 3 * everyMs };
}

export class HealthPoller {
  private timer: NodeJS.Timeout | null = null;
  /** Renews (or seeks) the poller's lease when instances may share the database. */
  private lease: PeriodicTask | null = null;
  /** Whether this instance holds the poller's lease: only the holder sweeps on the timer. */
  private holding = false;
  private ticking: Promise<void> | null = null;
  private lastRollupAt = Number.NEGATIVE_INFINITY;
  /** Each target's latency in the last sweep, to start the slow ones first. */
  private readonly lastLatency = new Map<number, number>();

  constructor(
    private readonly db: PrismaClient,
    readonly settings: HealthSettings,
    private readonly probe: Probe = realProbe,
    /** Who asks for the lease: this process of this instance (several may share the database). */
    readonly holder: string = processHolder(),
  ) {}

  /** Whether this instance is the one probing now. */
  get isHolder(): boolean {
    return this.holding;
  }

  /** A degraded or recovered state is told only if it holds this long: the threshold's worth of sweeps. */
  private notifyHoldMs(): number {
    return this.settings.intervalMs * this.settings.threshold;
  }

  get started(): boolean {
    return this.timer !== null;
  }

  /** Applies LUCID_DEPLOY_HOST if set, then sweeps now and every interval. */
  async start(env: Env = process.env): Promise<void> {
    if (this.timer) return;
    const fromEnv = deployTargetFromEnv(env);
    if (fromEnv) await applyDeployTarget(this.db, fromEnv, "system"); // LUCID_DEPLOY_HOST at start: audited when it changes the stored host
    this.timer = setInterval(() => this.tick(), this.settings.intervalMs);
    this.timer.unref();
    if (!instancesMayShare(this.db)) {
      this.holding = true;
      this.tick();
      return;
    }
    this.lease = new PeriodicTask("health poller lease", () => this.renewLease(), leaseTiming(this.settings.intervalMs).everyMs);
    this.lease.start();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // No renewal in flight may take the lease back after it is given up.
    await this.lease?.stop();
    await this.ticking;
    if (this.lease && this.holding) await releaseLease(this.db, POLLER_LEASE, this.holder).catch(() => {});
    this.lease = null;
    this.holding = false;
  }

  /** Takes or renews the lease; on taking it, sweeps at once (the previous holder stopped, or this is the first). */
  private async renewLease(): Promise<void> {
    const was = this.holding;
    try {
      this.holding = await tryLease(this.db, POLLER_LEASE, this.holder, leaseTiming(this.settings.intervalMs).ttlMs);
    } catch (error) {
      this.holding = false;
      console.error("health poller: could not renew its lease:", error);
    }
    if (this.holding && !was) this.tick();
  }

  /** Sweeps now rather than at the next tick (after the deployment host or a target changed). */
  kick(): void {
    this.tick();
  }

  /** A sweep still running when the next tick comes (timeout longer than the interval) makes that tick a no-op. */
  private tick(): void {
    if (!this.timer || this.ticking || !this.holding) return;
    this.ticking = this.tickOnce()
      .catch((error: unknown) => console.error("health poller:", error))
      .finally(() => (this.ticking = null));
  }

  private async tickOnce(): Promise<void> {
    await this.sweepOnce({ spreadMs: this.settings.intervalMs * JITTER_SHARE });
    await this.rollupIfDue();
  }

  /**
   * Probes every target once (at most `concurrency` at a time) and records the results in one transaction.
   * The deployment host is read each time, so setting it takes effect at the next sweep. `spreadMs` staggers
   * the starts at random over that many ms (the timer passes 10% of the interval; tests and the bench 0).
   */
  async sweepOnce(options: { spreadMs?: number } = {}): Promise<SweepReport> {
    const started = performance.now();
    const deploy = await getDeployTarget(this.db);
    if (!deploy) return { enabled: false, targets: 0, outcomes: {}, probeMs: 0, recordMs: 0, durationMs: performance.now() - started };
    const targets = await listTargets(this.db, deploy);
    const probing = performance.now();
    const samples = await this.probeAll(targets, Math.min(options.spreadMs ?? 0, this.settings.intervalMs * JITTER_SHARE));
    const recording = performance.now();
    await recordSamples(this.db, await this.stillCurrent(samples, targets), this.settings.threshold, this.notifyHoldMs());
    const done = performance.now();
    return { enabled: true, targets: targets.length, outcomes: countOutcomes(samples), probeMs: recording - probing, recordMs: done - recording, durationMs: done - started };
  }

  /**
   * Drops samples of targets that changed while they were probed (a new host, port, path or expectation
   * was saved meanwhile): those results say nothing about the target as it is now.
   */
  private async stillCurrent<T extends { imageId: number }>(samples: T[], probed: HealthTarget[]): Promise<T[]> {
    const key = (t: HealthTarget) => JSON.stringify([t.url, t.expect]);
    const before = new Map(probed.map((t) => [t.imageId, key(t)]));
    const current = await listTargets(this.db, await getDeployTarget(this.db), probed.length === 1 ? probed[0]!.name : undefined);
    const now = new Map(current.map((t) => [t.imageId, key(t)]));
    return samples.filter((s) => before.get(s.imageId) !== undefined && before.get(s.imageId) === now.get(s.imageId));
  }

  /** Probes one image at once and records the sample, as a sweep would. */
  async checkNow(name: string): Promise<CheckResult> {
    const deploy = await getDeployTarget(this.db);
    if (!deploy) return { ok: false, reason: "no_host", message: "Polling is off: set the deployment host in Settings first." };
    const image = await this.db.image.findUnique({ where: { name }, select: { id: true } });
    if (!image) return { ok: false, reason: "unknown_image", message: `There is no image "${name}" in the plan.` };
    const [target] = await listTargets(this.db, deploy, name);
    if (!target) {
      const map = await probeMap(this.db, { id: image.id });
      if (!map.deployed.has(image.id) && (map.basis === "deployment" || map.targets.has(image.id))) {
        const why = map.basis === "deployment" ? "no service in the Compose files runs it" : "no pushed build yet, so nothing runs to answer";
        return { ok: false, reason: "not_deployed", message: `Not deployed: ${why}. An admin can save its target to probe it anyway.` };
      }
      const why = map.basis === "deployment" ? "its service publishes no port its health check uses" : "this image has no port or health path";
      return { ok: false, reason: "no_target", message: `Nothing to probe: ${why}.` };
    }
    const [sample] = await this.probeAll([target], 0);
    await recordSamples(this.db, await this.stillCurrent([sample!], [target]), this.settings.threshold, this.notifyHoldMs());
    const status = await this.db.healthStatus.findUnique({ where: { imageId: target.imageId }, select: { state: true, uncheckedSince: true } });
    return { ok: true, url: target.url, result: sample!, state: probedState(status) };
  }

  /** Rolls up old samples at most once an hour (and at the first tick). */
  async rollupIfDue(now = Date.now()): Promise<boolean> {
    if (now - this.lastRollupAt < HOUR_MS) return false;
    this.lastRollupAt = now;
    await rollupHealth(this.db, { retentionDays: this.settings.retentionDays, now: new Date(now) });
    return true;
  }

  /**
   * Slowest first (those that timed out last time, then new ones, by last latency): a target that hangs
   * then waits out its timeout while the quick ones are probed, instead of starting last and ending a
   * whole timeout after the others. With the concurrency cap, this is longest-job-first scheduling.
   */
  private slowestFirst(targets: HealthTarget[]): HealthTarget[] {
    const latency = (t: HealthTarget) => this.lastLatency.get(t.imageId) ?? Number.POSITIVE_INFINITY;
    return [...targets].sort((a, b) => latency(b) - latency(a));
  }

  private async probeAll(targets: HealthTarget[], spreadMs: number): Promise<Sample[]> {
    const ordered = this.slowestFirst(targets);
    const offsets = ordered.map(() => Math.random() * spreadMs).sort((a, b) => a - b);
    const origin = performance.now();
    const options = { timeoutMs: this.settings.timeoutMs, maxBodyBytes: this.settings.maxBodyBytes };
    const samples = await mapWithLimit(ordered, this.settings.concurrency, async (target, i) => {
      await sleep(origin + offsets[i]! - performance.now());
      const at = new Date();
      // A probe that throws failed itself (a probe reports every failure of the service as its outcome).
      const result = await this.probe(target, options).catch((error: unknown): ProbeResult => ({
        outcome: "not_checked",
        httpStatus: null,
        latencyMs: 0,
        error: `the probe failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300),
      }));
      return { ...result, imageId: target.imageId, at };
    });
    for (const sample of samples) this.lastLatency.set(sample.imageId, sample.latencyMs);
    return samples;
  }
}

/** Stores a new deployment target; when it differs from the stored one, every image's health starts over. */
export async function applyDeployTarget(db: PrismaClient, target: DeployTarget | null, actor?: Actor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const before = actor ? await getDeployTarget(tx) : null;
    const changed = await storeDeployTarget(tx, target);
    if (changed) await resetHealth(tx, null, new Date());
    if (changed && actor) await audit(actor, "settings.deploy_target", "deployment host", { from: before, to: target }, tx);
    return changed;
  });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function countOutcomes(samples: Sample[]): Partial<Record<ProbeOutcome, number>> {
  const counts: Partial<Record<ProbeOutcome, number>> = {};
  for (const s of samples) counts[s.outcome] = (counts[s.outcome] ?? 0) + 1;
  return counts;
}

// One poller per process, shared by every bundle Next.js loads this module into.
const slot = globalThis as unknown as { lucidHealthPoller?: HealthPoller };

/** Probes go out directly, or through a blackbox_exporter (LUCID_HEALTH_PROBER); a wrong setting stops the start. */
export function healthPoller(): HealthPoller {
  return (slot.lucidHealthPoller ??= new HealthPoller(prisma, healthSettings(), probeFor(proberSettings())));
}
