// How the health vocabulary (lib/db/vocabulary.ts: what one probe can find, the stored states) reads on screen.

import type { ProbeOutcome, StoredHealthState } from "@/lib/db/vocabulary";

export const OUTCOME_LABELS: Record<ProbeOutcome, string> = {
  up: "Up",
  degraded: "Degraded",
  down: "Down",
  timeout: "Timed out",
  refused: "Connection refused",
  dns: "Host not found",
  bad_body: "Unexpected body",
  error: "Error",
  not_checked: "Not checked",
};

/** Only `up` counts towards uptime; every other outcome of a probe that checked the service is a failure. */
export const isUp = (outcome: string): boolean => outcome === "up";

/** Whether a probe learnt anything of the service: `not_checked` (the prober itself failed) did not. */
export const checkedService = (outcome: string): boolean => outcome !== "not_checked";


/**
 * What is shown: `off` = not polled (no deployment host, or the image has no port or health path);
 * `not_deployed` = it could be polled, but nothing is deployed yet (no pushed build, no target set by an admin);
 * `not_checked` = polled, but the latest probes could not check it (the prober failed), whatever it was before.
 */
export type HealthState = StoredHealthState | "off" | "not_deployed" | "not_checked";

export const HEALTH_STATE_LABELS: Record<HealthState, string> = {
  up: "Up",
  down: "Down",
  degraded: "Degraded",
  failing: "Failing",
  unknown: "Unknown",
  off: "Not polled",
  not_deployed: "Not deployed",
  not_checked: "Not checked",
};

