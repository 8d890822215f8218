// Small helpers shared by the JSON API routes.
import type { AuthResult } from "@/lib/tokens/tokens";

export function errorResponse(status: number, message: string, headers?: HeadersInit): Response {
  return Response.json({ error: message }, { status, headers });
}

/** The 401/403 answer for a failed bearer check, with the challenge header on 401. */
export function authErrorResponse(auth: Extract<AuthResult, { ok: false }>): Response {
  const challenge = auth.status === 401 ? { "WWW-Authenticate": 'Bearer realm="lucid"' } : undefined;
  return errorResponse(auth.status, auth.message, challenge);
}

/** A positive integer id from a path segment, or null. */
export function idParam(raw: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(raw) && Number(raw) <= 2_147_483_647 ? Number(raw) : null;
}

export const IMAGE_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
