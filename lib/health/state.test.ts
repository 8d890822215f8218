import { describe, expect, it } from "vitest";
import type { ProbeOutcome } from "@/lib/db/vocabulary";
import { latencySeries } from "@/lib/health/queries";
import { nextStatus, type StatusRow } from "@/lib/health/state";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const sample = (outcome: ProbeOutcome, s: number, error: string | null = outcome === "up" ? null : "boom") => ({ outcome, at: t(s), error });

/** Applies outcomes one after another from `unknown`, returning each step. */
function run(outcomes: ProbeOutcome[], threshold: number) {
  let status: StatusRow | null = null;
  return outcomes.map((outcome, i) => {
    const step = nextStatus(status, sample(outcome, i), threshold);
    status = step.status;
    return step;
  });
}

describe("nextStatus", () => {
  it("is up at the first success", () => {
    expect(nextStatus(null, sample("up", 0), 3)).toEqual({ status: { state: "up", since: t(0), consecutiveFailures: 0, uncheckedSince: null }, openIncident: null, closeIncident: false });
  });

  it("is failing until the threshold, then down with an incident; since marks each change", () => {
    const steps = run(["up", "up", "timeout", "refused", "down", "down", "up", "up"], 3);
    expect(steps.map((s) => s.status.state)).toEqual(["up", "up", "failing", "failing", "down", "down", "up", "up"]);
    expect(steps.map((s) => s.status.since)).toEqual([t(0), t(0), t(2), t(2), t(4), t(4), t(6), t(6)]);
    expect(steps.map((s) => s.status.consecutiveFailures)).toEqual([0, 0, 1, 2, 3, 4, 0, 0]);
    expect(steps.map((s) => s.openIncident?.reason ?? null)).toEqual([null, null, null, null, "Down: boom", null, null, null]);
    expect(steps.map((s) => s.closeIncident)).toEqual([false, false, false, false, false, false, true, false]);
  });

  it("a success before the threshold resets the count without an incident", () => {
    const steps = run(["timeout", "timeout", "up", "timeout", "timeout"], 3);
    expect(steps.map((s) => s.status.state)).toEqual(["failing", "failing", "up", "failing", "failing"]);
    expect(steps.some((s) => s.openIncident)).toBe(false);
  });

  it("a probe that did not check the service changes neither its state, nor its count, nor its incidents: it marks since when", () => {
    const steps = run(["up", "not_checked", "not_checked", "up", "timeout", "timeout", "not_checked", "timeout", "not_checked", "down", "up"], 3);
    expect(steps.map((s) => s.status.state)).toEqual(["up", "up", "up", "up", "failing", "failing", "failing", "down", "down", "down", "up"]);
    // Known again from the first probe after a gap, even in the same state.
    expect(steps.map((s) => s.status.since)).toEqual([t(0), t(0), t(0), t(3), t(4), t(4), t(4), t(7), t(7), t(9), t(10)]);
    expect(steps.map((s) => s.status.consecutiveFailures)).toEqual([0, 0, 0, 0, 1, 2, 2, 3, 3, 4, 0]);
    expect(steps.map((s) => s.status.uncheckedSince)).toEqual([null, t(1), t(1), null, null, null, t(6), null, t(8), null, null]);
    // The down incident opens once (at the third real failure) and closes once, at the real recovery.
    expect(steps.map((s) => s.openIncident?.kind ?? null)).toEqual([null, null, null, null, null, null, null, "down", null, null, null]);
    expect(steps.map((s) => s.closeIncident)).toEqual([false, false, false, false, false, false, false, false, false, false, true]);
  });

  it("a first probe that did not check the service leaves it unknown", () => {
    expect(nextStatus(null, sample("not_checked", 0), 3)).toEqual({ status: { state: "unknown", since: t(0), consecutiveFailures: 0, uncheckedSince: t(0) }, openIncident: null, closeIncident: false });
  });

  it("with a threshold of 1, the first failure is down", () => {
    const [step] = run(["dns"], 1);
    expect(step).toMatchObject({ status: { state: "down" }, openIncident: { kind: "down", reason: "Host not found: boom" } });
  });

  it("a service that says it is degraded is degraded at once, with an incident of its own, and no failure counted", () => {
    const steps = run(["up", "degraded", "degraded", "timeout", "timeout", "timeout", "degraded", "up"], 3);
    expect(steps.map((s) => s.status.state)).toEqual(["up", "degraded", "degraded", "failing", "failing", "down", "degraded", "up"]);
    expect(steps.map((s) => s.status.consecutiveFailures)).toEqual([0, 0, 0, 1, 2, 3, 0, 0]);
    expect(steps.map((s) => s.openIncident?.kind ?? null)).toEqual([null, "degraded", null, null, null, "down", "degraded", null]);
    expect(steps.map((s) => s.closeIncident)).toEqual([false, false, false, true, false, false, true, true]);
  });
});

describe("latencySeries", () => {
  const from = t(0);
  it("keeps every sample when there are few", () => {
    const points = latencySeries([{ at: t(1), outcome: "up", latencyMs: 10 }, { at: t(2), outcome: "timeout", latencyMs: 5000 }], from, t(100), 300);
    expect(points).toEqual([
      { at: t(1).toISOString(), latencyMs: 10, maxMs: 10, failures: 0, samples: 1 },
      { at: t(2).toISOString(), latencyMs: null, maxMs: null, failures: 1, samples: 1 },
    ]);
  });

  it("averages up samples into at most maxPoints slices of the window", () => {
    const to = new Date(from.getTime() + 24 * 3_600_000);
    const samples = Array.from({ length: 2880 }, (_, i) => ({ at: new Date(from.getTime() + i * 30_000), outcome: i % 10 === 0 ? "timeout" : "up", latencyMs: i % 10 === 0 ? 5000 : 20 }));
    const points = latencySeries(samples, from, to, 300);
    expect(points).toHaveLength(300);
    expect(points.every((p) => p.latencyMs === 20 && p.maxMs === 20)).toBe(true);
    expect(points.reduce((n, p) => n + p.samples, 0)).toBe(2880);
    expect(points.reduce((n, p) => n + p.failures, 0)).toBe(288);
  });
});
