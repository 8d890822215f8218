// Cross-site request checks for API writes made with a session cookie. The cookie is SameSite=Lax, so browsers
// do not send it with cross-site POSTs at all; this also refuses same-site but cross-origin pages (another port
// or subdomain). Requests without Origin and Sec-Fetch-Site (curl, scripts) carry no ambient browser cookie.

import type { Env } from "@/lib/env";

export type { Env };

/** Extra origins allowed to send writes (and server actions): LUCID_ALLOWED_ORIGINS, comma-separated. Empty by default. */
function allowedOriginsFromEnv(env: Env = process.env): string[] {
  return (env.LUCID_ALLOWED_ORIGINS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

const first = (value: string | null) => value?.split(",")[0]?.trim() || null;

/**
 * The origin the browser addressed, from the Host header (and X-Forwarded-Host/-Proto, which only a proxy in
 * LUCID_TRUSTED_PROXIES can send: lib/security/client-address.ts drops them from anyone else, and Next.js then
 * fills them from the connection). Not from request.url: Next.js builds that from its own hostname.
 */
export function requestOrigins(headers: Headers): string[] {
  const proto = first(headers.get("x-forwarded-proto")) === "https" ? "https" : "http";
  const origins = new Set<string>();
  for (const host of [first(headers.get("x-forwarded-host")), first(headers.get("host"))]) {
    const origin = host ? originOf(`${proto}://${host}`) : null;
    if (origin) origins.add(origin);
  }
  return [...origins];
}

/**
 * The origins this request may legitimately come from: LUCID_PUBLIC_URL when it is set (a Host header is the
 * client's to choose, so it counts only when nothing better is known), else the host the request was sent to;
 * and the allowed list.
 */
export function expectedOrigins(request: { url: string; headers: Headers }, env: Env = process.env): Set<string> {
  const publicUrl = env.LUCID_PUBLIC_URL?.trim();
  const fromPublic = publicUrl ? originOf(publicUrl) : null;
  const origins = new Set<string>(fromPublic ? [fromPublic] : requestOrigins(request.headers));
  if (origins.size === 0) {
    const own = originOf(request.url);
    if (own) origins.add(own);
  }
  for (const entry of allowedOriginsFromEnv(env)) {
    // Next.js takes bare hosts (builds.example.org) in allowedOrigins; accept both forms.
    const origin = originOf(entry.includes("://") ? entry : `https://${entry}`);
    if (origin) origins.add(origin);
    if (!entry.includes("://")) {
      const plain = originOf(`http://${entry}`);
      if (plain) origins.add(plain);
    }
  }
  return origins;
}

/** False when a browser says the request comes from a page of another origin. */
export function isSameOriginRequest(request: { url: string; headers: Headers }, env: Env = process.env): boolean {
  const origin = request.headers.get("origin");
  if (origin !== null) return expectedOrigins(request, env).has(origin);
  // No Origin (some browsers omit it on same-origin GETs, never on cross-origin POSTs): fall back to Fetch Metadata.
  const site = request.headers.get("sec-fetch-site");
  return site === null || site === "same-origin" || site === "none";
}
