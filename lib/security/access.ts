// Who may read without signing in, and what the proxy answers an anonymous request. Kept free of Next.js and
// database imports so it can be unit-tested; proxy.ts supplies whether the request is authenticated.

import type { Env } from "@/lib/env";

export type { Env };

/** LUCID_PUBLIC_READ=true lets anyone read pages and GET APIs (never change anything). Off by default. */
export function publicReadEnabled(env: Env = process.env): boolean {
  return /^(true|1)$/i.test(env.LUCID_PUBLIC_READ?.trim() ?? "");
}

/** Paths anyone may request: the sign-in page and better-auth's own endpoints (sign-in, sign-out, session). */
export function isPublicPath(pathname: string): boolean {
  return pathname === "/login" || pathname === "/api/auth" || pathname.startsWith("/api/auth/");
}

export const isApiPath = (pathname: string): boolean => pathname === "/api" || pathname.startsWith("/api/");

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type AccessDecision = "allow" | "login" | "unauthorized";

/**
 * What the proxy does with a request. Reads (GET, HEAD) need a session or an API token unless public read is
 * on. Writes always pass through to the route or server action, which checks the role or token scope itself
 * (so the answer is the precise 401 or 403, and a matcher change can never open a write).
 */
export function accessFor(request: { pathname: string; method: string; authenticated: boolean; publicRead: boolean }): AccessDecision {
  if (isPublicPath(request.pathname)) return "allow";
  // GET /metrics authorizes itself (a metrics:read token, a reader, or LUCID_METRICS_PUBLIC): never a login page.
  if (request.pathname === "/metrics") return "allow";
  if (!READ_METHODS.has(request.method.toUpperCase())) return "allow";
  if (request.authenticated || request.publicRead) return "allow";
  return isApiPath(request.pathname) ? "unauthorized" : "login";
}
