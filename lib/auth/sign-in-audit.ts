// Sign-in outcomes in the audit log: success, wrong email or password, throttled. Only the email named and the
// client address are kept; passwords never reach this module.
import { audit, userActor } from "@/lib/audit/audit";
import { RateLimiter } from "@/lib/security/rate-limit";
import { clientAddressOf } from "@/lib/security/client-address";

// A throttled client may keep knocking: record the first refusal per address and minute, not every one.
const slot = globalThis as unknown as { lucidThrottleAudit?: RateLimiter };
const throttleAudit = () => (slot.lucidThrottleAudit ??= new RateLimiter({ max: 1, windowMs: 60_000 }));

/**
 * Audits the outcome of POST /api/auth/sign-in/email and returns the response, with a standard Retry-After on
 * 429 (better-auth sends only X-Retry-After).
 */
export async function recordSignIn(request: Request, attempted: string | null, response: Response): Promise<Response> {
  const ip = clientAddressOf(request.headers);
  const target = attempted ? `user ${attempted}` : null;
  if (response.ok) {
    const body = (await response.clone().json().catch(() => null)) as { user?: { email?: unknown } } | null;
    const email = typeof body?.user?.email === "string" ? body.user.email : attempted;
    if (email) await audit(userActor(email), "auth.sign_in", `user ${email}`, { ip });
    return response;
  }
  if (response.status === 429) {
    const retryAfter = response.headers.get("x-retry-after") ?? "60";
    if (throttleAudit().consume(ip ?? "unknown").allowed) await audit("anonymous", "auth.sign_in_throttled", target, { ip, retryAfterS: Number(retryAfter) });
    const headers = new Headers(response.headers);
    headers.set("Retry-After", retryAfter);
    return new Response(response.body, { status: 429, statusText: response.statusText, headers });
  }
  const body = (await response.clone().json().catch(() => null)) as { code?: unknown } | null;
  await audit("anonymous", "auth.sign_in_failed", target, { ip, status: response.status, reason: typeof body?.code === "string" ? body.code : null });
  return response;
}

export async function recordSignOut(email: string): Promise<void> {
  await audit(userActor(email), "auth.sign_out", `user ${email}`);
}
