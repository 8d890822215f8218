// Runs before every page and API request (Next.js 16 "proxy", Node.js runtime):
// 1. a Content-Security-Policy with a fresh nonce, on the request (Next.js applies the nonce) and the response;
// 2. server actions from another origin than the configured one are refused;
// 3. reading needs a session (pages) or a session or API token (GET /api/*): anonymous page requests go to
//    /login, anonymous API reads get 401 JSON, unless LUCID_PUBLIC_READ=true. Writes pass through: every
//    route handler and server action checks the role or token scope itself (lib/auth/request.ts, session.ts).
import { NextResponse, type NextRequest } from "next/server";
import { sessionCookie } from "@/lib/auth/cookie";
import { accessFor, isApiPath, isPublicPath, publicReadEnabled } from "@/lib/security/access";
import { contentSecurityPolicy, createNonce } from "@/lib/security/csp";
import { isSameOriginRequest } from "@/lib/security/origin";
import { internalErrorMessage } from "@/lib/http";
import { loginPath, PATH_HEADER } from "@/lib/security/redirect";

/**
 * The session, really checked (it must exist and be unexpired, not just a cookie be present), with the
 * Set-Cookie headers better-auth answers: a session used after a day is renewed, an invalid cookie cleared.
 * Done here for every request that carries a session cookie, because only the proxy can always set cookies.
 */
async function checkSession(request: NextRequest): Promise<{ valid: boolean; setCookies: string[] }> {
  if (sessionCookie(request.headers) === null) return { valid: false, setCookies: [] };
  const { lookUpSession } = await import("@/lib/auth/session-lookup");
  const { session, setCookies } = await lookUpSession(request.headers);
  return { valid: session !== null, setCookies };
}

/** Any valid, unrevoked API token may read. */
async function validToken(request: NextRequest): Promise<boolean> {
  const authorization = request.headers.get("authorization");
  if (authorization === null || !isApiPath(request.nextUrl.pathname)) return false;
  const [{ prisma }, { authenticateBearer }] = await Promise.all([import("@/lib/db/client"), import("@/lib/tokens/tokens")]);
  return (await authenticateBearer(prisma, authorization, null)).ok;
}

function withHeaders(response: NextResponse, csp: string, setCookies: string[]): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  for (const cookie of setCookies) response.headers.append("Set-Cookie", cookie);
  return response;
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  try {
    return await guard(request);
  } catch (error) {
    // A database fault while checking the session or token: API callers get JSON like every other API error.
    if (!isApiPath(request.nextUrl.pathname)) throw error;
    console.error(`${request.method} ${request.nextUrl.pathname} failed in the proxy:`, error);
    return NextResponse.json({ error: internalErrorMessage(error) }, { status: 500, headers: { "Cache-Control": "no-store" } });
  }
}

/**
 * What Next.js may run as a server action: a POST with the Next-Action header, or (forms that work without
 * JavaScript) any form POST, whose action id travels in the body.
 */
function mayBeServerAction(request: NextRequest): boolean {
  if (request.method !== "POST" || isApiPath(request.nextUrl.pathname)) return false;
  const type = request.headers.get("content-type") ?? "";
  return request.headers.has("next-action") || type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded");
}

async function guard(request: NextRequest): Promise<NextResponse> {
  const nonce = createNonce();
  const https = (process.env.LUCID_PUBLIC_URL ?? "").startsWith("https://");
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const { pathname, search } = request.nextUrl;

  // better-auth's own endpoints manage their cookies themselves.
  const session = isPublicPath(pathname) && pathname !== "/login" ? { valid: false, setCookies: [] } : await checkSession(request);
  const access = { pathname, method: request.method, publicRead: publicReadEnabled() };
  let decision = accessFor({ ...access, authenticated: session.valid });
  if (decision !== "allow") decision = accessFor({ ...access, authenticated: await validToken(request) });

  if (decision === "unauthorized") {
    const response = NextResponse.json(
      { error: "not signed in and no Authorization header: send Authorization: Bearer <token>" },
      { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="lucid"', "Cache-Control": "no-store" } },
    );
    return withHeaders(response, csp, session.setCookies);
  }
  if (decision === "login") {
    return withHeaders(NextResponse.redirect(new URL(loginPath(`${pathname}${search}`), request.url)), csp, session.setCookies);
  }

  // Next.js compares a server action's Origin with the Host header, which the client chooses; with
  // LUCID_PUBLIC_URL set (and always for the allowed list) the origin is judged here against what is configured.
  if (mayBeServerAction(request) && !isSameOriginRequest(request)) {
    return withHeaders(NextResponse.json({ error: "cross-origin request refused" }, { status: 403 }), csp, session.setCookies);
  }

  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  // Where requireRole sends a visitor back to after signing in (always set here, so a client cannot choose it).
  headers.set(PATH_HEADER, `${pathname}${search}`);
  return withHeaders(NextResponse.next({ request: { headers } }), csp, session.setCookies);
}

export const config = {
  // Everything but build assets and the icon (the login page itself must get its CSP nonce).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
