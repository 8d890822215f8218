// Short texts for health figures, shared by the server actions and the components.
import { OUTCOME_LABELS } from "@/lib/health/outcomes";
import { type ProbeOutcome } from "@/lib/db/vocabulary";

/** "Up: HTTP 200 in 12 ms", "Timed out: no complete answer within 5000 ms". */
export function describeProbe(probe: { outcome: ProbeOutcome; httpStatus: number | null; latencyMs: number | null; error: string | null }): string {
  if (probe.outcome === "up") return `Up: HTTP ${probe.httpStatus} in ${probe.latencyMs} ms`;
  return `${OUTCOME_LABELS[probe.outcome]}: ${probe.error ?? (probe.httpStatus ? `HTTP ${probe.httpStatus}` : "no detail")}`;
}

/** 0.99873 → "99.87%"; null (nothing sampled) → "—". */
export function formatUptime(fraction: number | null): string {
  if (fraction === null) return "—";
  if (fraction === 1) return "100%";
  return `${(Math.floor(fraction * 10_000) / 100).toFixed(2)}%`;
}
