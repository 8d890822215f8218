import { describe, expect, it } from "vitest";
import { DEFAULT_BUILD_TRIGGER_RULE, parseRule, RateLimiter } from "@/lib/security/rate-limit";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("RateLimiter", () => {
  it("allows max attempts per window and key, then refuses with the seconds left", () => {
    const time = clock();
    const limiter = new RateLimiter({ max: 3, windowMs: 60_000 }, time.now);
    expect(limiter.consume("user a")).toEqual({ allowed: true, remaining: 2 });
    expect(limiter.consume("user a")).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.consume("user a")).toEqual({ allowed: true, remaining: 0 });
    time.advance(15_000);
    expect(limiter.consume("user a")).toEqual({ allowed: false, retryAfterS: 45 });
    // Another actor has its own count.
    expect(limiter.consume("token ci")).toMatchObject({ allowed: true });
  });

  it("does not count refused attempts, and starts over when the window has passed", () => {
    const time = clock();
    const limiter = new RateLimiter({ max: 1, windowMs: 10_000 }, time.now);
    expect(limiter.consume("k").allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect(limiter.consume("k").allowed).toBe(false);
    time.advance(9_999);
    expect(limiter.consume("k")).toEqual({ allowed: false, retryAfterS: 1 });
    time.advance(1);
    expect(limiter.consume("k")).toEqual({ allowed: true, remaining: 0 });
  });

  it("never answers Retry-After 0", () => {
    const time = clock();
    const limiter = new RateLimiter({ max: 1, windowMs: 1_000 }, time.now);
    limiter.consume("k");
    time.advance(999);
    expect(limiter.consume("k")).toEqual({ allowed: false, retryAfterS: 1 });
  });

  it("keeps a bounded number of keys", () => {
    const time = clock();
    const limiter = new RateLimiter({ max: 1, windowMs: 60_000 }, time.now, 10);
    for (let i = 0; i < 50; i++) limiter.consume(`key ${i}`);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBeLessThanOrEqual(10);
  });

  it("refuses a nonsensical rule", () => {
    expect(() => new RateLimiter({ max: 0, windowMs: 1 })).toThrow(/invalid rate limit/);
  });
});

describe("parseRule", () => {
  it("reads N/S and falls back on anything else", () => {
    expect(parseRule("10/60", DEFAULT_BUILD_TRIGGER_RULE)).toEqual({ max: 10, windowMs: 60_000 });
    expect(parseRule(" 3 / 1 ", DEFAULT_BUILD_TRIGGER_RULE)).toEqual({ max: 3, windowMs: 1_000 });
    for (const raw of [undefined, "", "0/60", "10/0", "ten/60", "10", "-1/5"]) expect(parseRule(raw, DEFAULT_BUILD_TRIGGER_RULE)).toBe(DEFAULT_BUILD_TRIGGER_RULE);
  });
});
