// What the team is told about: one type per event, with the words a message uses and the page it links to.
export const EVENT_TYPES = [
  "build.failed",
  "build.fixed",
  "service.down",
  "service.degraded",
  "service.recovered",
  "deployment.drift",
  "base.moved",
  "compliance.worse",
  "test",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_LABELS: Record<EventType, string> = {
  "build.failed": "build failed",
  "build.fixed": "build fixed (first success after failures)",
  "service.down": "service down",
  "service.degraded": "service degraded",
  "service.recovered": "service recovered",
  "deployment.drift": "deployment drift detected",
  "base.moved": "base image moved",
  "compliance.worse": "compliance got worse",
  test: "test message",
};

/** The event as stored and as sent (the generic webhook's body is this, documented in the README). */
export type NotificationEvent = {
  /** Receivers dedupe on this: a delivery may be repeated after a crash (at least once). */
  id: string;
  type: EventType;
  /** ISO time the event happened. */
  at: string;
  /** One line: "lucid-session-api: build #42 failed". */
  title: string;
  /** A sentence or two of detail. */
  text: string;
  /** The dashboard page it is about (LUCID_PUBLIC_URL + path), or just the path when no public URL is set. */
  url: string;
  image: string | null;
  phase: number | null;
  /** Event-specific facts (build id, state, digests, rules). */
  data: Record<string, unknown>;
};

export function isEventType(value: unknown): value is EventType {
  return typeof value === "string" && (EVENT_TYPES as readonly string[]).includes(value);
}

/** LUCID_PUBLIC_URL + path; the path alone when no public URL is set (a message then says where, not how to get there). */
export function linkTo(path: string, publicUrl: string | null): string {
  return publicUrl ? `${publicUrl.replace(/\/+$/, "")}${path}` : path;
}
