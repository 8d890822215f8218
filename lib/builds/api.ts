// Shared by the build-triggering API routes: a bearer token with the run scope or an operator's session,
// the per-actor trigger limit, and error mapping.
import { errorResponse } from "@/lib/http";
import type { Actor } from "@/lib/audit/audit";
import { authorizeWrite } from "@/lib/auth/request";
import { BuildRequestError } from "@/lib/builds/queue";
import { checkBuildTrigger, RateLimitedError } from "@/lib/security/rate-limit";

/** Scope a token needs to start or cancel builds (reporting finished builds needs builds:write). */
export const RUN_SCOPE = "builds:run";

export function rateLimitedResponse(error: RateLimitedError): Response {
  return errorResponse(429, error.message, { "Retry-After": String(error.retryAfterS) });
}

/**
 * Runs `action` for a caller allowed to run builds (a token with builds:run, or an operator or admin signed in).
 * `trigger`: the request starts builds, so it counts against the caller's build-trigger limit (429 beyond it).
 * BuildRequestErrors become JSON errors with their status.
 */
export async function withRunAccess(
  request: Request,
  options: { trigger: boolean },
  action: (actor: Actor) => Promise<Response>,
): Promise<Response> {
  const authorized = await authorizeWrite(request, { role: "operator", scope: RUN_SCOPE });
  if (!authorized.ok) return authorized.response;
  const { actor } = authorized.caller;
  try {
    if (options.trigger) checkBuildTrigger(actor);
    return await action(actor);
  } catch (error) {
    if (error instanceof BuildRequestError) return errorResponse(error.status, error.message);
    if (error instanceof RateLimitedError) return rateLimitedResponse(error);
    throw error;
  }
}
