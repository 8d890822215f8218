// The one build worker of this process: claims queued builds, runs them, relays cancel requests.
import { prisma } from "@/lib/db/client";
import { executeBuild, failIfStillRunning } from "@/lib/builds/execute";
import { claimBuilds, markInterrupted } from "@/lib/builds/queue";
import { runnerSettings, type RunnerSettings } from "@/lib/builds/settings";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { processIdentity, stopOrphanedGroup } from "@/lib/builds/process-identity";
import { dropIfUnchanged, instancesMayShare, leaseOf, liveHolders, releaseLease, tryLease } from "@/lib/db/lease";
import { instance } from "@/lib/server/instance";

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
  private readonly onExit = () => this.killAll();

  /** This instance (Build.runner); several instances on one database each claim their own builds. */
  readonly runner: string;
  /** Who holds the liveness lease: the instance id and this process's token, so a second process with the id differs. */
  private readonly holder: string;
  private readonly aliveForMs: number;
  private readonly aliveEveryMs: number;
  /** Why this process claims no builds (another live process uses its instance id); null while it does. */
  refused: string | null = null;

  constructor(
    private readonly db: PrismaClient,
    private readonly settings: RunnerSettings,
    options: { runner?: string; token?: string; aliveForMs?: number; aliveEveryMs?: number } = {},
  ) {
    this.runner = options.runner ?? instance().id;
    this.holder = `${this.runner}#${options.token ?? instance().token}`;
    this.aliveForMs = options.aliveForMs ?? ALIVE_FOR_MS;
    this.aliveEveryMs = options.aliveEveryMs ?? ALIVE_EVERY_MS;
  }

  get started(): boolean {
    return this.timer !== null;
  }

  /**
   * Takes this instance's id (claimInstanceId), marks builds a previous process left running as interrupted, stops
   * their builders, then starts polling.
   */
  async start(): Promise<void> {
    if (this.timer) return;
    this.stopped = false;
    this.refused = null;
    if (!(await this.claimInstanceId())) {
      console.error(`build worker: ${this.refused}`);
      return;
    }
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

  /** Stops polling and cancels what runs, waiting for a claim in progress and for the builders to exit. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    process.removeListener("exit", this.onExit);
    await this.polling;
    for (const run of this.running.values()) run.controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
    await releaseLease(this.db, `${INSTANCE_LEASE}${this.runner}`, this.holder).catch(() => {});
  }

  private async pollOnce(): Promise<void> {
    await this.relayCancelRequests();
    if (this.stopped) return;
    await this.sayAlive();
    if (this.refused) return;
    // A claimed build is launched even if stop() began meanwhile: stop() waits for this poll, then cancels it.
    for (const id of await claimBuilds(this.db, this.settings.concurrency, this.runner)) this.launch(id);
  }

  /**
   * Renews this instance's liveness lease every few seconds and, on the same beat, interrupts the builds of instances
   * whose lease ran out (they died mid-build; their builders are on their own hosts, so nothing is signalled here).
   */
  private async sayAlive(): Promise<void> {
    if (!instancesMayShare(this.db) || this.refused) return;
    const now = Date.now();
    if (now - this.lastAlive < this.aliveEveryMs) return;
    this.lastAlive = now;
    if (!(await tryLease(this.db, `${INSTANCE_LEASE}${this.runner}`, this.holder, this.aliveForMs))) {
      // This process stood still longer than its lease and another one started with its id.
      this.refused = `another process took over instance ${this.runner} while this one did not answer; this process claims no more builds`;
      console.error(`build worker: ${this.refused}`);
      return;
    }
    const alive = await liveHolders(this.db, INSTANCE_LEASE);
    alive.add(this.runner);
    for (const stale of await markInterrupted(this.db, this.runner, alive)) {
      if (stale.runner !== this.runner) console.warn(`build ${stale.id}: instance ${stale.runner} stopped answering while running it: marked interrupted`);
    }
  }

  /**
   * Takes this instance's liveness lease before touching any build (PostgreSQL only). If another process holds it, that
   * is either one that died (it stops renewing: taken over after two renewal periods) or one running now with the same
   * LUCID_INSTANCE_ID, whose builds this one would mark interrupted: then this process claims no builds and says why.
   */
  private async claimInstanceId(): Promise<boolean> {
    if (!instancesMayShare(this.db)) return true;
    const name = `${INSTANCE_LEASE}${this.runner}`;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await tryLease(this.db, name, this.holder, this.aliveForMs)) {
        this.lastAlive = Date.now();
        return true;
      }
      const seen = await leaseOf(this.db, name);
      if (!seen) continue;
      // Two renewal periods: a live holder renews within one, even with a poll running late.
      await new Promise((resolve) => setTimeout(resolve, 2 * this.aliveEveryMs + 1_000));
      if (await dropIfUnchanged(this.db, name, seen)) continue;
      const now = await leaseOf(this.db, name);
      if (now && now.until.getTime() !== seen.until.getTime()) break;
    }
    this.refused = `another process is running as instance ${this.runner} (LUCID_INSTANCE_ID): give each instance its own id; this process claims no builds`;
    return false;
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
