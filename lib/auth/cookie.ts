// The session cookie's name and value, without loading better-auth (the proxy reads it on every request).
import { COOKIE_PREFIX } from "@/lib/auth/constants";

const SESSION_COOKIE = new RegExp(`^(__Secure-)?${COOKIE_PREFIX}\\.session_token$`);

/** The session cookie's value as sent (token and signature), or null without one. */
export function sessionCookie(headers: Headers): string | null {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && SESSION_COOKIE.test(part.slice(0, at).trim())) return part.slice(at + 1).trim();
  }
  return null;
}
