// Authorization for API routes: a bearer API token (with the scope the route needs), or a session cookie (with
// the role the route needs). A request that carries an Authorization header is judged by its token alone, so a
// script never acts with a browser's session by accident.
import { prisma } from "@/lib/db/client";
import { tokenActor, userActor, type Actor } from "@/lib/audit/audit";
import { lookUpSession } from "@/lib/auth/session-lookup";
import { hasRole, type Role } from "@/lib/auth/roles";
import { authErrorResponse, errorResponse } from "@/lib/http";
import { publicReadEnabled } from "@/lib/security/access";
import { isSameOriginRequest } from "@/lib/security/origin";
import { authenticateBearer } from "@/lib/tokens/tokens";

export type Caller =
  | { kind: "user"; actor: Actor; email: string; role: Role | null }
  | { kind: "token"; actor: Actor; name: string }
  | { kind: "anonymous"; actor: "anonymous" };

export type Authorized = { ok: true; caller: Caller } | { ok: false; response: Response };

const WWW_AUTHENTICATE = { "WWW-Authenticate": 'Bearer realm="lucid"' };
const NO_CREDENTIALS = "not signed in and no Authorization header: send Authorization: Bearer <token>";

async function sessionUser(request: Request): Promise<{ email: string; role: string | null | undefined } | null> {
  const { session } = await lookUpSession(request.headers);
  if (!session) return null;
  // A user with a temporary password acts with no role until they have changed it (lib/auth/passwords.ts).
  const mustChange = (session.user as { mustChangePassword?: boolean | null }).mustChangePassword === true;
  return { email: session.user.email, role: mustChange ? null : session.user.role };
}

/**
 * For writes: a token with `scope`, or a signed-in user with at least `role` whose request comes from this
 * dashboard's own pages. 401 without credentials, 403 with too little.
 */
export async function authorizeWrite(request: Request, need: { role: Role; scope: string }): Promise<Authorized> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const auth = await authenticateBearer(prisma, header, need.scope);
    if (!auth.ok) return { ok: false, response: authErrorResponse(auth) };
    return { ok: true, caller: { kind: "token", actor: tokenActor(auth.token.name), name: auth.token.name } };
  }
  const user = await sessionUser(request);
  if (!user) {
    return {
      ok: false,
      response: errorResponse(401, NO_CREDENTIALS, WWW_AUTHENTICATE),
    };
  }
  if (!isSameOriginRequest(request)) return { ok: false, response: errorResponse(403, "cross-origin request refused") };
  if (!hasRole(user.role, need.role)) {
    return { ok: false, response: errorResponse(403, `this needs the ${need.role} role; ${user.email} is ${user.role ?? "without a role"}`) };
  }
  return { ok: true, caller: { kind: "user", actor: userActor(user.email), email: user.email, role: hasRole(user.role, "viewer") ? (user.role as Role) : null } };
}

/** For reads: any valid token, any signed-in user with a role, or anyone when LUCID_PUBLIC_READ is on. */
export async function authorizeRead(request: Request): Promise<Authorized> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const auth = await authenticateBearer(prisma, header, null);
    if (!auth.ok) return { ok: false, response: authErrorResponse(auth) };
    return { ok: true, caller: { kind: "token", actor: tokenActor(auth.token.name), name: auth.token.name } };
  }
  const user = await sessionUser(request);
  if (user && hasRole(user.role, "viewer")) {
    return { ok: true, caller: { kind: "user", actor: userActor(user.email), email: user.email, role: user.role as Role } };
  }
  if (publicReadEnabled()) return { ok: true, caller: { kind: "anonymous", actor: "anonymous" } };
  if (user) return { ok: false, response: errorResponse(403, `${user.email} has no role that may read`) };
  return { ok: false, response: errorResponse(401, NO_CREDENTIALS, WWW_AUTHENTICATE) };
}

/**
 * For GET /metrics: a token with the metrics:read scope, any signed-in reader, or anyone when LUCID_METRICS_PUBLIC
 * is on (a Prometheus scraping on a private network).
 */
export async function authorizeMetrics(request: Request, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Authorized> {
  if (env.LUCID_METRICS_PUBLIC?.trim() === "true") return { ok: true, caller: { kind: "anonymous", actor: "anonymous" } };
  const header = request.headers.get("authorization");
  if (header !== null) {
    const auth = await authenticateBearer(prisma, header, "metrics:read");
    if (!auth.ok) return { ok: false, response: authErrorResponse(auth) };
    return { ok: true, caller: { kind: "token", actor: tokenActor(auth.token.name), name: auth.token.name } };
  }
  return authorizeRead(request);
}
