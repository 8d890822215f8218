// better-auth's endpoints, limited to what the dashboard uses, with sign-ins audited (never the password).
import { getAuth } from "@/lib/auth/auth";
import { AUTH_BASE_PATH } from "@/lib/auth/constants";
import { recordSignIn, recordSignOut } from "@/lib/auth/sign-in-audit";
import { errorResponse, withJsonErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

// Sign-up is closed (admins create users), and nothing else better-auth offers is used here.
const ALLOWED = new Set(["GET /get-session", "POST /sign-in/email", "POST /sign-out", "POST /change-password", "GET /ok"]);

async function handle(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname.slice(AUTH_BASE_PATH.length);
  if (!ALLOWED.has(`${request.method} ${path}`)) return errorResponse(404, "not found");
  const auth = await getAuth();

  if (path === "/sign-in/email") {
    const attempted = await attemptedEmail(request.clone());
    const response = await auth.handler(request);
    return recordSignIn(request, attempted, response);
  }
  if (path === "/sign-out") {
    const session = await auth.api.getSession({ headers: request.headers });
    const response = await auth.handler(request);
    if (session && response.ok) await recordSignOut(session.user.email);
    return response;
  }
  return auth.handler(request);
}

/** The email a sign-in names, for the audit log; the body's password is never looked at. */
async function attemptedEmail(request: Request): Promise<string | null> {
  try {
    const body = (await request.json()) as { email?: unknown };
    return typeof body.email === "string" ? body.email.trim().toLowerCase().slice(0, 254) : null;
  } catch {
    return null;
  }
}

export const GET = withJsonErrors(handle);
export const POST = withJsonErrors(handle);
