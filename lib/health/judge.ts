// The one evaluator: a health response (status and the body as read) → an outcome and, if failed, why.
import type { ProbeOutcome } from "@/lib/db/vocabulary";

/** An admin's expectation for one image: this top-level JSON field of the body must equal this value. */
export type HealthExpectation = { field: string; value: string };

export type HealthResponse = { status: number; statusText: string; body: Buffer; truncated: boolean };
export type Judgement = { outcome: ProbeOutcome; error: string | null };

const up: Judgement = { outcome: "up", error: null };
const badBody = (error: string): Judgement => ({ outcome: "bad_body", error });

/**
 * 2xx is up and anything else down. With an expectation, the body must be a JSON object whose top-level
 * field equals the expected value (compared as text, so `true` and `200` match "true" and "200"); a body
 * that cannot be checked is `bad_body`, a body that answers otherwise is `down`.
 */
export function judgeResponse(response: HealthResponse, expect: HealthExpectation | null | undefined): Judgement {
  if (response.status < 200 || response.status > 299) {
    return { outcome: "down", error: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}` };
  }
  if (!expect) return up;
  if (response.truncated) return badBody(`the body is larger than ${Math.round(response.body.length / 1024)} KB: cannot check "${expect.field}"`);
  const body = parseJson(response.body);
  if (body === undefined) return badBody(`the body is not JSON: cannot check "${expect.field}"`);
  if (body === null || typeof body !== "object" || Array.isArray(body)) return badBody(`the body is not a JSON object: cannot check "${expect.field}"`);
  if (!Object.hasOwn(body, expect.field)) return badBody(`the body has no "${expect.field}" field`);
  const actual = asText((body as Record<string, unknown>)[expect.field]);
  if (actual !== expect.value) return { outcome: "down", error: `"${expect.field}" is ${JSON.stringify(actual).slice(0, 120)}, expected "${expect.value}"` };
  return up;
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
