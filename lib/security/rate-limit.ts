// A small fixed-window rate limiter for build triggers (per actor). Sign-in attempts are limited by better-auth's
// own limiter (lib/auth/auth.ts). On SQLite one process serves the dashboard, so memory is the right store (a restart
// forgets the counts, which only ever lets a caller in sooner); on PostgreSQL several instances may share the
// database, so the counts are kept there (RateLimitBucket), one statement per attempt.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isPostgres } from "@/lib/db/dialect";

export type RateLimitRule = { max: number; windowMs: number };
export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterS: number };

type Bucket = { count: number; resetAt: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly rule: RateLimitRule,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {
    if (!(rule.max >= 1) || !(rule.windowMs >= 1)) throw new Error(`invalid rate limit ${JSON.stringify(rule)}`);
  }

  /** Counts one attempt for `key` and says whether it is allowed; a refused attempt is not counted. */
  consume(key: string): RateLimitDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      this.prune(now);
      bucket = { count: 0, resetAt: now + this.rule.windowMs };
      this.buckets.set(key, bucket);
    }
    if (bucket.count >= this.rule.max) {
      return { allowed: false, retryAfterS: Math.max(1, Math.ceil((bucket.resetAt - now) / 1000)) };
    }
    bucket.count += 1;
    return { allowed: true, remaining: this.rule.max - bucket.count };
  }

  reset(): void {
    this.buckets.clear();
  }

  private prune(now: number): void {
    if (this.buckets.size < this.maxKeys) return;
    for (const [key, bucket] of this.buckets) if (now >= bucket.resetAt) this.buckets.delete(key);
    // Still full of live buckets: drop the oldest, which can only let their callers in sooner.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}

/** Reads `N/S` (N requests per S seconds), e.g. "10/60"; anything else gives the default. */
export function parseRule(raw: string | undefined, fallback: RateLimitRule): RateLimitRule {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(raw ?? "");
  if (!match) return fallback;
  const max = Number(match[1]);
  const seconds = Number(match[2]);
  return max >= 1 && seconds >= 1 ? { max, windowMs: seconds * 1000 } : fallback;
}

export const DEFAULT_BUILD_TRIGGER_RULE: RateLimitRule = { max: 10, windowMs: 60_000 };

// One limiter per process, shared by every bundle Next.js loads this module into (route handlers and server
// actions are compiled separately), as the build worker and the health poller are.
const slot = globalThis as unknown as { lucidBuildTriggerLimiter?: RateLimiter };

/** Build triggers (rebuild, phase build, through the dashboard or the API): LUCID_BUILD_RATE_LIMIT, default 10/60 per actor. */
function buildTriggerLimiter(): RateLimiter {
  return (slot.lucidBuildTriggerLimiter ??= new RateLimiter(parseRule(process.env.LUCID_BUILD_RATE_LIMIT, DEFAULT_BUILD_TRIGGER_RULE)));
}

export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(readonly retryAfterS: number) {
    super(`Too many build requests: wait ${retryAfterS} s and try again.`);
  }
}

/**
 * Counts one attempt for `key` in the database and says whether it is allowed (a refused attempt is counted too,
 * which only keeps a caller out longer while it keeps trying). Atomic in one statement, whichever instance asks.
 */
export async function consumeShared(db: PrismaClient, key: string, rule: RateLimitRule, now = new Date()): Promise<RateLimitDecision> {
  const resetAt = new Date(now.getTime() + rule.windowMs);
  await db.$executeRaw`INSERT INTO "RateLimitBucket" ("key", "count", "resetAt") VALUES (${key}, 1, ${resetAt})
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."resetAt" <= ${now} THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "resetAt" = CASE WHEN "RateLimitBucket"."resetAt" <= ${now} THEN excluded."resetAt" ELSE "RateLimitBucket"."resetAt" END`;
  const bucket = await db.rateLimitBucket.findUniqueOrThrow({ where: { key } });
  if (bucket.count > rule.max) return { allowed: false, retryAfterS: Math.max(1, Math.ceil((bucket.resetAt.getTime() - now.getTime()) / 1000)) };
  return { allowed: true, remaining: rule.max - bucket.count };
}

/** Throws RateLimitedError when `actor` has used up its build triggers for now. */
export async function checkBuildTrigger(db: PrismaClient, actor: string): Promise<void> {
  const decision = isPostgres(db)
    ? await consumeShared(db, `build:${actor}`, parseRule(process.env.LUCID_BUILD_RATE_LIMIT, DEFAULT_BUILD_TRIGGER_RULE))
    : buildTriggerLimiter().consume(actor);
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterS);
}
