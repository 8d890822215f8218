// How one sample moves an image's health: a pure function, so the rules read (and test) in one place.
import { OUTCOME_LABELS } from "@/lib/health/outcomes";
import { type ProbeOutcome, type StoredHealthState } from "@/lib/db/vocabulary";

export type StatusRow = { state: StoredHealthState; since: Date; consecutiveFailures: number };
export type SampleOutcome = { outcome: ProbeOutcome; error: string | null; at: Date };

/** The new status, and whether an incident opens (with its reason) or the open one closes. */
export type Transition = { status: StatusRow; openIncident: string | null; closeIncident: boolean };

/**
 * A success is `up` at once and resets the failure count. Failures count up: `degraded` until `threshold`
 * consecutive failures, then `down`. `since` moves only when the state changes. Turning `down` opens an
 * incident; leaving `down` closes it.
 */
export function nextStatus(previous: StatusRow | null, sample: SampleOutcome, threshold: number): Transition {
  const before = previous?.state ?? "unknown";
  const failures = sample.outcome === "up" ? 0 : (previous?.consecutiveFailures ?? 0) + 1;
  const state: StoredHealthState = failures === 0 ? "up" : failures >= threshold ? "down" : before === "down" ? "down" : "degraded";
  const since = state === before && previous ? previous.since : sample.at;
  return {
    status: { state, since, consecutiveFailures: failures },
    openIncident: state === "down" && before !== "down" ? incidentReason(sample) : null,
    closeIncident: before === "down" && state !== "down",
  };
}

function incidentReason(sample: Pick<SampleOutcome, "outcome" | "error">): string {
  return sample.error ? `${OUTCOME_LABELS[sample.outcome]}: ${sample.error}` : OUTCOME_LABELS[sample.outcome];
}
