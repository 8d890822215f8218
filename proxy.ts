// Runs before every page and API request (Next.js 16 "proxy", Node.js runtime):
// 1. a Content-Security-Policy with a fresh nonce, on the request (Next.js applies the nonce) and the response;
// 2. reading needs a session (pages) or a session or API token (GET /api/*): anonymous page requests go to
//    /login, anonymous API reads get 401 JSON, unless LUCID_PUBLIC_READ=true. Writes pass through: every
//    route handler and server action checks the role or token scope itself (lib/auth/request.ts, session.ts).
import { NextResponse, type NextRequest } from "next/server";
import { accessFor, isApiPath, publicReadEnabled } from "@/lib/security/access";
import { contentSecurityPolicy, createNonce } from "@/lib/security/csp";
import { loginPath } from "@/lib/security/redirect";

/** A real check, not a look at the cookie's presence: the session must exist and be unexpired, the token valid. */
async function isAuthenticated(request: NextRequest): Promise<boolean> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null && isApiPath(request.nextUrl.pathname)) {
    const [{ prisma }, { authenticateBearer }] = await Promise.all([import("@/lib/db/client"), import("@/lib/tokens/tokens")]);
    return (await authenticateBearer(prisma, authorization, null)).ok;
  }
  const { getAuth } = await import("@/lib/auth/auth");
  const session = await (await getAuth()).api.getSession({ headers: request.headers });
  return session !== null;
}

function withSecurityHeaders(response: NextResponse, csp: string): NextResponse {
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const nonce = createNonce();
  const https = (process.env.LUCID_PUBLIC_URL ?? "").startsWith("https://");
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const { pathname, search } = request.nextUrl;

  const access = { pathname, method: request.method, publicRead: publicReadEnabled() };
  let decision = accessFor({ ...access, authenticated: false });
  if (decision !== "allow") decision = accessFor({ ...access, authenticated: await isAuthenticated(request) });

  if (decision === "unauthorized") {
    const response = NextResponse.json(
      { error: "not signed in and no Authorization header: send Authorization: Bearer <token>" },
      { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="lucid"', "Cache-Control": "no-store" } },
    );
    return withSecurityHeaders(response, csp);
  }
  if (decision === "login") {
    return withSecurityHeaders(NextResponse.redirect(new URL(loginPath(`${pathname}${search}`), request.url)), csp);
  }

  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("content-security-policy", csp);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), csp);
}

export const config = {
  // Everything but build assets and the icon (the login page itself must get its CSP nonce).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
