// Short texts for health figures, shared by the server actions and the components.
import { OUTCOME_LABELS } from "@/lib/health/outcomes";
import { type ProbeOutcome } from "@/lib/db/vocabulary";

/** "Up: HTTP 200 in 12 ms", "Timed out: no complete answer within 5000 ms". */
export function describeProbe(probe: { outcome: ProbeOutcome; httpStatus: number | null; latencyMs: number | null; error: string | null }): string {
  if (probe.outcome === "up") return `Up: HTTP ${probe.httpStatus} in ${probe.latencyMs} ms`;
  return `${OUTCOME_LABELS[probe.outcome]}: ${probe.error ?? (probe.httpStatus ? `HTTP ${probe.httpStatus}` : "no detail")}`;
}

/** How long ago, coarsely: "just now", "45 s", "12 min", "3 h", "2 d". */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** 0.99873 → "99.87%"; null (nothing sampled) → "—". */
export function formatUptime(fraction: number | null): string {
  if (fraction === null) return "—";
  if (fraction === 1) return "100%";
  return `${(Math.floor(fraction * 10_000) / 100).toFixed(2)}%`;
}

/** "2026-01-02 10:15:00 UTC" */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 19).replace("T", " ")} UTC`;
}
