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

/** A short, safe reason for an unexpected error: what kind of fault, never a stack or a query. */
export function internalErrorMessage(error: unknown): string {
  const text = `${(error as { code?: unknown })?.code ?? ""} ${error instanceof Error ? error.message : String(error)}`;
  if (/SQLITE_READONLY|readonly database/i.test(text)) return "internal error: the database is read-only, so this could not be done";
  if (/SQLITE_BUSY|database is locked/i.test(text)) return "internal error: the database is busy; try again";
  if (/SQLITE_CORRUPT|SQLITE_NOTADB|malformed/i.test(text)) return "internal error: the database file is damaged; see the server log";
  return "internal error; see the server log";
}

/**
 * Wraps a route handler so that an unexpected error is answered like every other API error, as JSON
 * (`{"error": …}`, status 500) and logged, instead of Next.js's plain-text page.
 */
export function withJsonErrors<Rest extends unknown[]>(handler: (request: Request, ...rest: Rest) => Promise<Response>): (request: Request, ...rest: Rest) => Promise<Response> {
  return async (request, ...rest) => {
    try {
      return await handler(request, ...rest);
    } catch (error) {
      console.error(`${request.method} ${new URL(request.url).pathname} failed:`, error);
      return errorResponse(500, internalErrorMessage(error));
    }
  };
}
