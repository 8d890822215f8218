// The client address that the sign-in rate limit (better-auth, keyed by X-Forwarded-For) and the audit log see,
// and the forwarded host and scheme that origin checks read.
// Next.js keeps an X-Forwarded-For sent by the client and only fills it from the connection when it is missing,
// so any client could claim a new address per attempt and never be throttled. Installed at server start
// (lib/server/front-door.ts), this replaces the header with the connection's address, unless the connection comes
// from a reverse proxy listed in LUCID_TRUSTED_PROXIES, whose X-Forwarded-For is kept.
import type { IncomingMessage } from "node:http";

import type { Env } from "@/lib/env";

export type { Env };

/** LUCID_TRUSTED_PROXIES: comma-separated addresses of reverse proxies in front of the dashboard. Empty by default. */
export function trustedProxies(env: Env = process.env): string[] {
  return (env.LUCID_TRUSTED_PROXIES ?? "")
    .split(",")
    .map((s) => normalizeAddress(s.trim()))
    .filter((s): s is string => Boolean(s));
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; anything else lower-cased. */
export function normalizeAddress(address: string | undefined): string | null {
  if (!address) return null;
  const lower = address.toLowerCase();
  return lower.startsWith("::ffff:") && lower.includes(".") ? lower.slice("::ffff:".length) : lower;
}

/**
 * Headers that only a reverse proxy may set: the host, scheme and port the browser addressed. From anyone else
 * they are dropped, so origin checks (lib/security/origin.ts, Next.js's server-action check) see the real Host.
 */
const PROXY_ONLY_HEADERS = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"] as const;

/**
 * Sets X-Forwarded-For of one incoming request to its connection's address and drops the other forwarding
 * headers, unless the connection comes from a trusted proxy.
 */
export function pinClientAddress(request: Pick<IncomingMessage, "headers" | "socket">, trusted: ReadonlySet<string>): void {
  const peer = normalizeAddress(request.socket?.remoteAddress);
  if (peer && trusted.has(peer)) return;
  for (const name of PROXY_ONLY_HEADERS) delete request.headers[name];
  if (peer) request.headers["x-forwarded-for"] = peer;
  else delete request.headers["x-forwarded-for"];
}

/** The client's address from X-Forwarded-For as pinned above: the right-most entry that is not a trusted proxy. */
export function clientAddressOf(headers: Headers, env: Env = process.env): string | null {
  const trusted = new Set(trustedProxies(env));
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => normalizeAddress(s.trim())).filter((s): s is string => Boolean(s));
  for (let i = chain.length - 1; i >= 0; i--) if (!trusted.has(chain[i]!)) return chain[i]!.slice(0, 64);
  return chain[0]?.slice(0, 64) ?? null;
}
