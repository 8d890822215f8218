// How one sample moves an image's health: a pure function, so the rules read (and test) in one place.
import { OUTCOME_LABELS } from "@/lib/health/outcomes";
import { isStoredHealthState, type ProbeOutcome, type StoredHealthState } from "@/lib/db/vocabulary";
import type { IncidentKind } from "@/lib/generated/prisma/enums";

export type StatusRow = { state: StoredHealthState; since: Date; consecutiveFailures: number; /** Since when probes could not check it. */ uncheckedSince: Date | null };
type SampleOutcome = { outcome: ProbeOutcome; error: string | null; at: Date };

type Kind = (typeof IncidentKind)[keyof typeof IncidentKind];

/** The new status; an incident to open (its kind and reason), and whether the open one closes. */
export type Transition = { status: StatusRow; openIncident: { kind: Kind; reason: string } | null; closeIncident: boolean };

/** Which incident a state stands for: being down, or saying it is degraded; the others are none. */
const incidentKindOf = (state: StoredHealthState): Kind | null => (state === "down" || state === "degraded" ? state : null);

/**
 * A success is `up` at once and resets the failure count. A service that answers but says it is degraded is
 * `degraded` at once (that is not a failure). Failures count up: `failing` until `threshold` consecutive
 * failures, then `down`. `since` moves only when the state changes. Entering `down` or `degraded` opens an
 * incident of that kind; leaving it closes it. A probe that could not check the service (`not_checked`) changes
 * none of that and only marks since when it has not been checked; the next probe that checks it starts `since` anew.
 */
export function nextStatus(previous: StatusRow | null, sample: SampleOutcome, threshold: number): Transition {
  if (sample.outcome === "not_checked") {
    // Nothing learnt of the service: its state, count and incidents stay as they were; it is shown as not checked.
    const kept = previous ?? { state: "unknown", since: sample.at, consecutiveFailures: 0, uncheckedSince: null };
    return { status: { ...kept, uncheckedSince: kept.uncheckedSince ?? sample.at }, openIncident: null, closeIncident: false };
  }
  const before = previous?.state ?? "unknown";
  const failed = sample.outcome !== "up" && sample.outcome !== "degraded";
  const failures = failed ? (previous?.consecutiveFailures ?? 0) + 1 : 0;
  const state: StoredHealthState = !failed ? sample.outcome as "up" | "degraded" : failures >= threshold || before === "down" ? "down" : "failing";
  // After a gap nothing checked, the state is known again from now: it may have changed and changed back unseen.
  const since = state === before && previous && previous.uncheckedSince === null ? previous.since : sample.at;
  const kindBefore = incidentKindOf(before);
  const kindNow = incidentKindOf(state);
  return {
    status: { state, since, consecutiveFailures: failures, uncheckedSince: null },
    openIncident: kindNow !== null && kindNow !== kindBefore ? { kind: kindNow, reason: incidentReason(sample) } : null,
    closeIncident: kindBefore !== null && kindNow !== kindBefore,
  };
}

function incidentReason(sample: Pick<SampleOutcome, "outcome" | "error">): string {
  return sample.error ? `${OUTCOME_LABELS[sample.outcome]}: ${sample.error}` : OUTCOME_LABELS[sample.outcome];
}

/**
 * The state a status row stands for: `not_checked` while the latest probes could not check the service (not the
 * state it was last seen in), else its stored state; `unknown` before the first probe.
 */
export function probedState(status: { state: string; uncheckedSince: Date | null } | null): StoredHealthState | "not_checked" {
  if (status?.uncheckedSince) return "not_checked";
  return status && isStoredHealthState(status.state) ? status.state : "unknown";
}
