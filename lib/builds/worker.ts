// The one build worker of this process: claims queued builds, runs them, relays cancel requests.
import { prisma } from "@/lib/db/client";
import { executeBuild, failIfStillRunning } from "@/lib/builds/execute";
import { claimBuilds, markInterrupted } from "@/lib/builds/queue";
import { runnerSettings, type RunnerSettings } from "@/lib/builds/settings";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { processIdentity, stopOrphanedGroup } from "@/lib/builds/process-identity";
import { instancesMayShare, leaseOf, liveHolders, releaseLease, tryLease } from "@/lib/db/lease";
import { instance, leaseHolder } from "@/lib/server/instance";

const POLL_MS = 1_000;
/** How often an instance says it is alive, and how long that holds: another instance interrupts its builds after. */
const ALIVE_EVERY_MS = 5_000;
export const ALIVE_FOR_MS = 20_000;
/** Liveness leases are named this plus the instance id. */
export const INSTANCE_LEASE = "instance:";

type Running = { controller: AbortController; pid: number | null; done: Promise<void> };

export class BuildWorker {
  private readonly running = new Map<number, Running>();
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private lastAlive = 0;
  /** Waiting for another process to let this instance's id go (waitForInstanceId), in the background. */
  private waiting: Promise<void> | null = null;
  private readonly onExit = () => this.killAll();

  /** This instance (Build.runner); several instances on one database each claim their own builds. */
  readonly runner: string;
  /** Who holds the liveness lease: this process of the instance, so a second process given the same id differs. */
  private readonly holder: string;
  /** The liveness lease's name. */
  private readonly lease: string;
  private readonly aliveForMs: number;
  private readonly aliveEveryMs: number;
  /** Why this process claims no builds now (another process holds its instance id); null while it does. */
  refused: string | null = null;

  constructor(
    private readonly db: PrismaClient,
    private readonly settings: RunnerSettings,
    options: { runner?: string; token?: string; aliveForMs?: number; aliveEveryMs?: number } = {},
  ) {
    this.runner = options.runner ?? instance().id;
    this.holder = leaseHolder(this.runner, options.token ?? instance().token);
    this.lease = `${INSTANCE_LEASE}${this.runner}`;
    this.aliveForMs = options.aliveForMs ?? ALIVE_FOR_MS;
    this.aliveEveryMs = options.aliveEveryMs ?? ALIVE_EVERY_MS;
  }

  get started(): boolean {
    return this.timer !== null;
  }

  /**
   * Takes this instance's id, marks builds a previous process left running as interrupted, stops their builders, then
   * polls. When another process holds the id (PostgreSQL), returns at once and waits in the background: its builds
   * start once that process's lease runs out; while it renews the lease, this one claims nothing (see `refused`).
   */
  async start(): Promise<void> {
    if (this.timer || this.waiting) return;
    this.stopped = false;
    if (await this.takeInstanceId()) return this.begin();
    this.refused = `waiting for instance ${this.runner}'s liveness lease, held by another process, to run out; this process claims no builds until then`;
    this.waitInBackground();
  }

  private async begin(): Promise<void> {
    this.refused = null;
    for (const stale of await markInterrupted(this.db, this.runner)) {
      const stopped = stale.pid !== null && stopOrphanedGroup(stale.pid, stale.pidIdentity, this.settings.killGraceMs);
      console.warn(`build ${stale.id} was running when the dashboard stopped: marked interrupted${stopped ? ", its builder stopped" : ""}`);
    }
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    process.once("exit", this.onExit);
    this.poll();
  }

  /** Looks for work now rather than at the next tick (after a request). */
  kick(): void {
    if (this.timer) this.poll();
  }

  poll(): void {
    if (!this.timer) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    this.polling = this.pollOnce()
      .catch((error: unknown) => console.error("build worker:", error))
      .finally(() => {
        this.polling = null;
        if (this.again) {
          this.again = false;
          this.poll();
        }
      });
  }

  /** Stops polling (or waiting for the id) and cancels what runs, waiting for a claim in progress and for the builders. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.waiting;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    process.removeListener("exit", this.onExit);
    await this.polling;
    for (const run of this.running.values()) run.controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await releaseLease(this.db, this.lease, this.holder).catch(() => {});
  }

  private async pollOnce(): Promise<void> {
    await this.relayCancelRequests();
    if (this.stopped) return;
    if (!(await this.sayAlive())) return;
    // A claimed build is launched even if stop() began meanwhile: stop() waits for this poll, then cancels it.
    for (const id of await claimBuilds(this.db, this.settings.concurrency, this.runner)) this.launch(id);
  }

  /**
   * Renews this instance's liveness lease every few seconds and, on the same beat, interrupts the builds of instances
   * whose lease ran out (they died mid-build; their builders are on their own hosts, so nothing is signalled here).
   * False when the id is no longer this process's.
   */
  private async sayAlive(): Promise<boolean> {
    if (!instancesMayShare(this.db)) return true;
    if (Date.now() - this.lastAlive < this.aliveEveryMs) return true;
    if (!(await this.takeInstanceId())) {
      this.lostInstanceId();
      return false;
    }
    const alive = await liveHolders(this.db, INSTANCE_LEASE);
    alive.add(this.runner);
    for (const stale of await markInterrupted(this.db, this.runner, alive)) {
      if (stale.runner !== this.runner) console.warn(`build ${stale.id}: instance ${stale.runner} stopped answering while running it: marked interrupted`);
    }
    return true;
  }

  /**
   * This process stood still longer than its lease and another one took its id, marking its builds interrupted: it
   * stops them and claims nothing more, and takes the id back only once that process lets it go.
   */
  private lostInstanceId(): void {
    this.refused = `another process took over instance ${this.runner} while this one did not answer; this one claims no builds while that one runs`;
    console.error(`build worker: ${this.refused}`);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const run of this.running.values()) run.controller.abort();
    this.waitInBackground();
  }

  private waitInBackground(): void {
    this.waiting ??= this.waitForInstanceId()
      .catch((error: unknown) => console.error("build worker:", error))
      .finally(() => (this.waiting = null));
  }

  /** Takes this instance's liveness lease if it is free, ran out, or is this process's (PostgreSQL; SQLite needs none). */
  private async takeInstanceId(): Promise<boolean> {
    if (!instancesMayShare(this.db)) return true;
    if (!(await tryLease(this.db, this.lease, this.holder, this.aliveForMs))) return false;
    this.lastAlive = Date.now();
    return true;
  }

  /**
   * Another process holds this instance's id: one that died (its lease runs out unrenewed, then this one takes it) or
   * one running now with the same LUCID_INSTANCE_ID, whose builds this one would otherwise mark interrupted. The id is
   * never taken before the lease runs out, however late a live holder renews; while it renews, this process claims
   * nothing and looks again every renewal period.
   */
  private async waitForInstanceId(): Promise<void> {
    let seen = await leaseOf(this.db, this.lease);
    let renewed = false;
    while (!this.stopped) {
      if (!seen || seen.until.getTime() < Date.now()) {
        if (await this.takeInstanceId()) {
          if (!this.stopped) await this.begin();
          return;
        }
        seen = await leaseOf(this.db, this.lease);
        continue;
      }
      if (renewed) this.refused = `another process is running as instance ${this.runner} (LUCID_INSTANCE_ID): give each instance its own id; this process claims no builds while that one runs`;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, this.aliveEveryMs)));
      const now = await leaseOf(this.db, this.lease);
      if (!renewed && now && (now.holder !== seen.holder || now.until.getTime() !== seen.until.getTime())) {
        renewed = true;
        console.error(`build worker: another process is running as instance ${this.runner} (LUCID_INSTANCE_ID); this one claims no builds while it runs`);
      }
      seen = now;
    }
  }

  private async relayCancelRequests(): Promise<void> {
    if (this.running.size === 0) return;
    const asked = await this.db.build.findMany({
      where: { id: { in: [...this.running.keys()] }, cancelRequestedAt: { not: null } },
      select: { id: true },
    });
    for (const { id } of asked) this.running.get(id)?.controller.abort();
  }

  private launch(id: number): void {
    const controller = new AbortController();
    const run: Running = { controller, pid: null, done: Promise.resolve() };
    run.done = executeBuild(this.db, id, this.settings, {
      signal: controller.signal,
      onSpawn: (pid) => {
        run.pid = pid;
        this.db.build.update({ where: { id }, data: { pid, pidIdentity: processIdentity(pid) } }).catch(() => {});
      },
    })
      .catch(async (error: unknown) => {
        console.error(`build ${id}:`, error);
        await failIfStillRunning(this.db, id, error).catch((again: unknown) => console.error(`build ${id}: could not record the failure:`, again));
      })
      .finally(() => {
        this.running.delete(id);
        this.poll();
      });
    this.running.set(id, run);
  }

  private killAll(): void {
    for (const run of this.running.values()) if (run.pid) killGroup(run.pid);
  }
}

/** SIGTERM to a builder's process group (the runner starts each builder as its own group). */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // already gone
  }
}

// One worker per process, shared by every bundle Next.js loads this module into.
const slot = globalThis as unknown as { lucidBuildWorker?: BuildWorker };

export function buildWorker(): BuildWorker {
  return (slot.lucidBuildWorker ??= new BuildWorker(prisma, runnerSettings()));
}
