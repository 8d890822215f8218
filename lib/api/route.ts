// One wrapper for every JSON API route: who may call it (a session or token for reads; the role or the token scope
// for writes, and the build-trigger limit), its path parameters checked, its body read within a cap, and every
// refusal or unexpected error answered as `{"error": …}` JSON.
import type { Role } from "@/lib/auth/roles";
import { authorizeRead, authorizeWrite, type Caller } from "@/lib/auth/request";
import { BuildRequestError } from "@/lib/builds/queue";
import { IngestError } from "@/lib/builds/ingest";
import { errorResponse, withJsonErrors } from "@/lib/http";
import { RateLimitedError } from "@/lib/security/rate-limit";
import { CosignKeyError } from "@/lib/supply-chain/signature";
import { ScanImportError } from "@/lib/vulnerabilities/import";

/** "read": any signed-in user or valid token (or anyone with LUCID_PUBLIC_READ); a write names its role and scope. */
export type RouteAccess = "read" | { role: Role; scope: string };

/** A path parameter that is not what the route takes: 400 with this message. */
export class ParamError extends Error {
  override name = "ParamError";
}

type Parsers<P> = { [K in keyof P]: (raw: string) => P[K] };

export type RouteContext<P> = { request: Request; caller: Caller; params: P; body: Buffer | null };

type Spec<P> = {
  access: RouteAccess;
  /** Each path parameter's parser: returns the value, or throws ParamError. */
  params?: Parsers<P>;
  /** Read the body, at most this many bytes (413 beyond). */
  maxBodyBytes?: number;
};

type NextContext = { params: Promise<Record<string, string | string[]>> };

/** The route handler Next.js calls, built from who may call it, what it takes and what it does. */
export function apiRoute<P extends Record<string, unknown> = Record<string, never>>(
  spec: Spec<P>,
  handler: (context: RouteContext<P>) => Promise<Response>,
): (request: Request, context?: NextContext) => Promise<Response> {
  return withJsonErrors(async (request: Request, context?: NextContext) => {
    const authorized = spec.access === "read" ? await authorizeRead(request) : await authorizeWrite(request, spec.access);
    if (!authorized.ok) return authorized.response;
    try {
      const params = await parseParams(spec.params, context);
      let body: Buffer | null = null;
      if (spec.maxBodyBytes !== undefined) {
        body = await readBodyWithin(request, spec.maxBodyBytes);
        if (body === null) return errorResponse(413, `request body is larger than ${Math.round(spec.maxBodyBytes / 1024)} KiB`);
      }
      return await handler({ request, caller: authorized.caller, params, body });
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) return refusal;
      throw error;
    }
  });
}

async function parseParams<P>(parsers: Parsers<P> | undefined, context: NextContext | undefined): Promise<P> {
  const raw = (await context?.params) ?? {};
  const out = {} as P;
  for (const key of Object.keys(parsers ?? {}) as (keyof P)[]) {
    const value = raw[key as string];
    out[key] = parsers![key](typeof value === "string" ? value : "");
  }
  return out;
}

/** The domain's refusals, as the API answers them. */
function refusalOf(error: unknown): Response | null {
  if (error instanceof ParamError) return errorResponse(400, error.message);
  if (error instanceof BuildRequestError || error instanceof IngestError) return errorResponse(error.status, error.message);
  if (error instanceof RateLimitedError) return errorResponse(429, error.message, { "Retry-After": String(error.retryAfterS) });
  // A misconfigured setting the request depends on: the server cannot do it until an admin fixes the setting.
  if (error instanceof CosignKeyError) return errorResponse(503, error.message);
  if (error instanceof ScanImportError) return errorResponse(error.status, error.message);
  return null;
}

/**
 * The body's bytes, or null when there are more than `limit`. Content-Length is only a shortcut for an
 * honest client: the bytes are counted as they arrive, so a missing or false header cannot get more in.
 */
async function readBodyWithin(request: Request, limit: number): Promise<Buffer | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return null;
  if (request.body === null) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
