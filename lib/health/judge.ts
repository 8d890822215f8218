// The one evaluator: a health response (status and the body as read) → an outcome and, if not up, why.
import type { ProbeOutcome } from "@/lib/db/vocabulary";
import { describeDependencies, readHealthBody } from "@/lib/health/health-body";
import type { ProberSettings } from "@/lib/health/settings";

/** An admin's expectation for one image: this top-level JSON field of the body must equal this value. */
export type HealthExpectation = { field: string; value: string };

export type HealthResponse = { status: number; statusText: string; body: Buffer; truncated: boolean };
export type Judgement = { outcome: ProbeOutcome; error: string | null };

const up: Judgement = { outcome: "up", error: null };
const badBody = (error: string): Judgement => ({ outcome: "bad_body", error });

/**
 * A non-2xx answer is down, whatever its body says. A 2xx answer is judged by its body the way monitoring tools
 * read the common health formats (lib/health/health-body.ts): a top-level status word decides (up, degraded or
 * down), dependencies that are not up are named ("down: mongodb"), and a body without a status word stays up.
 * An admin's expectation overrides that reading: the body must be a JSON object whose top-level field equals the
 * expected value (compared as text, so `true` and `200` match "true" and "200"); a body that cannot be checked is
 * `bad_body`, a body that answers otherwise is `down`.
 */
export function judgeResponse(response: HealthResponse, expect: HealthExpectation | null | undefined): Judgement {
  if (response.status < 200 || response.status > 299) {
    const http = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
    const named = response.truncated ? null : describeDependencies(readHealthBody(response.body.toString("utf8")).unwell);
    return { outcome: "down", error: named ? `${http}; ${named}` : http };
  }
  if (!expect) return judgeBody(response);
  if (response.truncated) return badBody(`the body is larger than ${Math.round(response.body.length / 1024)} KB: cannot check "${expect.field}"`);
  const body = parseJson(response.body);
  if (body === undefined) return badBody(`the body is not JSON: cannot check "${expect.field}"`);
  if (body === null || typeof body !== "object" || Array.isArray(body)) return badBody(`the body is not a JSON object: cannot check "${expect.field}"`);
  if (!Object.hasOwn(body, expect.field)) return badBody(`the body has no "${expect.field}" field`);
  const actual = asText((body as Record<string, unknown>)[expect.field]);
  if (actual !== expect.value) return { outcome: "down", error: `"${expect.field}" is ${JSON.stringify(actual).slice(0, 120)}, expected "${expect.value}"` };
  return up;
}

/** The body's own word, when it has one; a body too large to read in full is judged by its HTTP status alone. */
function judgeBody(response: HealthResponse): Judgement {
  if (response.truncated) return up;
  const reading = readHealthBody(response.body.toString("utf8"));
  if (reading.verdict === null || reading.verdict === "up") return up;
  const named = describeDependencies(reading.unwell);
  return { outcome: reading.verdict, error: `status "${reading.word}"${named ? `; ${named}` : ""}` };
}

/** Which rule judges an image's answers, as the image page says it. Through a blackbox_exporter, its module does. */
export function judgingRule(expect: HealthExpectation | null, prober: ProberSettings = { kind: "direct" }): string {
  if (prober.kind === "blackbox") {
    const ignored = expect ? `, so the expectation "${expect.field}" = "${expect.value}" is not applied` : "";
    return `the blackbox exporter's module "${prober.module}" (its status codes and body checks); the dashboard does not read the body${ignored}`;
  }
  return expect
    ? `the expectation "${expect.field}" = "${expect.value}" (set by an admin; it overrides the body's status word)`
    : "the HTTP status, then the body's status word (healthy / degraded / unhealthy, UP / DOWN, pass / warn / fail, ok) and its dependencies";
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

function asText(value: unknown): string {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
}
