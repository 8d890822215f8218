// Reads what runs from the Docker Engine API (lib/deploy/running/engine.ts) every LUCID_DOCKER_INTERVAL_S seconds
// (default 60) while LUCID_DOCKER_HOST is set, and stores it as a report would be. An engine that cannot be read
// changes nothing: the last snapshot stays, and the error is kept for the settings page and the log.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/client";
import { EngineError, engineSettings, readEngine, type EngineSettings } from "@/lib/deploy/running/engine";
import { storeRunning } from "@/lib/deploy/running/store";
import type { Env } from "@/lib/env";

export type EnginePoll = { ok: true; containers: number } | { ok: false; error: string };

export class EnginePoller {
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<EnginePoll> | null = null;
  lastPoll: (EnginePoll & { at: Date }) | null = null;

  constructor(
    private readonly db: PrismaClient,
    readonly settings: EngineSettings,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.pollOnce(), this.intervalMs);
    this.timer.unref();
    void this.pollOnce();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** One read of the engine; a poll still running makes this one wait for it instead of starting another. */
  pollOnce(): Promise<EnginePoll> {
    this.polling ??= this.read().finally(() => {
      this.polling = null;
    });
    return this.polling;
  }

  private async read(): Promise<EnginePoll> {
    let result: EnginePoll;
    try {
      const containers = await readEngine(this.settings);
      await storeRunning(this.db, containers, "system", "engine");
      result = { ok: true, containers: containers.length };
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      // Said once per new error, not at every poll of an engine that stays unreachable.
      if (this.lastPoll?.ok !== false || this.lastPoll.error !== error.message) console.error(`docker engine at ${this.settings.baseUrl}: ${error.message}`);
      result = { ok: false, error: error.message };
    }
    this.lastPoll = { ...result, at: new Date() };
    return result;
  }
}

function intervalMs(env: Env): number {
  const raw = env.LUCID_DOCKER_INTERVAL_S?.trim();
  if (!raw) return 60_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 86_400) throw new Error(`LUCID_DOCKER_INTERVAL_S must be a whole number from 1 to 86400; got "${raw}"`);
  return n * 1000;
}

const slot = globalThis as unknown as { lucidEnginePoller?: EnginePoller | null };

/** The process's engine poller, or null when LUCID_DOCKER_HOST is not set. */
export function enginePoller(env: Env = process.env): EnginePoller | null {
  if (slot.lucidEnginePoller === undefined) {
    const settings = engineSettings(env);
    slot.lucidEnginePoller = settings ? new EnginePoller(prisma, settings, intervalMs(env)) : null;
  }
  return slot.lucidEnginePoller;
}
