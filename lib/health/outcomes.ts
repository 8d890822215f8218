// The health vocabulary, defined once: what one probe can find, and what the badges show.

export const PROBE_OUTCOMES = ["up", "down", "timeout", "refused", "dns", "bad_body", "error"] as const;
export type ProbeOutcome = (typeof PROBE_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<ProbeOutcome, string> = {
  up: "Up",
  down: "Down",
  timeout: "Timed out",
  refused: "Connection refused",
  dns: "Host not found",
  bad_body: "Unexpected body",
  error: "Error",
};

/** Only `up` counts towards uptime; every other outcome is a failure. */
export const isUp = (outcome: string): boolean => outcome === "up";

export function isProbeOutcome(value: string): value is ProbeOutcome {
  return (PROBE_OUTCOMES as readonly string[]).includes(value);
}

/** Stored in HealthStatus: `unknown` until the first sample. */
export const STORED_HEALTH_STATES = ["up", "down", "degraded", "unknown"] as const;
export type StoredHealthState = (typeof STORED_HEALTH_STATES)[number];

/** What is shown: `off` = not polled (no deployment host, or the image has no port or health path). */
export type HealthState = StoredHealthState | "off";

export const HEALTH_STATE_LABELS: Record<HealthState, string> = {
  up: "Up",
  down: "Down",
  degraded: "Degraded",
  unknown: "Unknown",
  off: "Not polled",
};

export function isStoredHealthState(value: string): value is StoredHealthState {
  return (STORED_HEALTH_STATES as readonly string[]).includes(value);
}
