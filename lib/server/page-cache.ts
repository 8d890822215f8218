// Rendered pages kept until the database changes. The overview and the status page are what every team member
// keeps open; rendering one costs ~15 ms of the server's only JavaScript thread even with its read model cached,
// so a signed-in GET of an unchanged page is answered with the HTML rendered for that same user, at the same
// database version, less than OUTSIDE_FACTS_MS ago. Only the CSP nonce differs per response: a fresh one replaces
// the stored one in the body and the headers, so every answer still carries a nonce nobody saw before.
// Next.js has no cache for pages rendered per request (its full-route cache and partial prerendering are for
// pages without a per-request nonce), hence this one, in front of it (lib/server/front-door.ts).
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";

/** The pages answered from this cache. Any other path, a query string or an RSC request always renders. */
export const CACHED_PAGES: ReadonlySet<string> = new Set(["/", "/status"]);

/** How long a stored page may be answered at all, for what the database does not record (lib/views/queries.ts). */
export const PAGE_MAX_AGE_MS = 5_000;

const MAX_ENTRIES = 100;

/** Requests Next.js answers differently from a document load (client navigation, prefetch, server actions). */
const RENDER_VARIANT_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch", "next-action", "next-url"];

/** Headers of the stored response that are per-connection or per-body, never replayed. */
const NOT_REPLAYED = new Set(["set-cookie", "date", "content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"]);

type RequestHead = { method?: string; url?: string; headers: Record<string, string | string[] | undefined> };

export type StoredPage = { version: number; storedAt: number; nonce: string; headers: [string, string][]; body: string };

/** The page a request asks for, when it may be answered from the cache; null otherwise. */
export function cacheablePath(request: RequestHead): string | null {
  if (request.method !== "GET" || request.url === undefined || !CACHED_PAGES.has(request.url)) return null;
  if (RENDER_VARIANT_HEADERS.some((name) => request.headers[name] !== undefined)) return null;
  return request.url;
}

/** Whose page it is: the host it was asked on, the path, and the signed-in user with their role. */
export function pageKey(host: string | undefined, path: string, user: { id: string; role?: string | null }): string {
  return [host ?? "", path, user.id, user.role ?? ""].join("\n");
}

/** A fresh copy of a stored page for one response: `nonce` replaces the stored nonce everywhere it occurs. */
export function withNonce(page: StoredPage, nonce: string): { headers: [string, string][]; body: string } {
  const swap = (text: string) => text.split(page.nonce).join(nonce);
  return { headers: page.headers.map(([name, value]) => [name, swap(value)]), body: swap(page.body) };
}

export type RenderedResponse = { status: number; headers: Record<string, string | string[] | number | undefined>; body: Buffer };

/**
 * What of a response Next.js rendered can be stored: a complete 200 HTML page whose CSP names the nonce found in
 * its body, and that sets no cookie. Returns null for anything else (redirects, 403s, errors, renewed sessions).
 */
export function storablePage(response: RenderedResponse, version: number, now: number): StoredPage | null {
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(", ") : value === undefined ? undefined : String(value);
  };
  if (response.status !== 200 || header("set-cookie") !== undefined) return null;
  if (!header("content-type")?.startsWith("text/html")) return null;
  const nonce = /'nonce-([^']+)'/.exec(header("content-security-policy") ?? "")?.[1];
  if (!nonce) return null;
  const body = decode(response.body, header("content-encoding"));
  if (body === null || !body.includes(nonce) || !body.trimEnd().endsWith("</html>")) return null;
  const headers: [string, string][] = [];
  for (const name of Object.keys(response.headers)) {
    const value = header(name);
    if (value !== undefined && !NOT_REPLAYED.has(name.toLowerCase())) headers.push([name, value]);
  }
  return { version, storedAt: now, nonce, headers, body };
}

function decode(body: Buffer, encoding: string | undefined): string | null {
  try {
    switch ((encoding ?? "identity").trim().toLowerCase()) {
      case "identity":
        return body.toString("utf8");
      case "gzip":
        return gunzipSync(body).toString("utf8");
      case "deflate":
        return inflateSync(body).toString("utf8");
      case "br":
        return brotliDecompressSync(body).toString("utf8");
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** Whether an Accept-Encoding header takes gzip (named or `*`, with a q above 0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  let gzip: number | null = null;
  let any: number | null = null;
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name === "gzip") gzip = Number.isFinite(weight) ? weight : 0;
    if (name === "*") any = Number.isFinite(weight) ? weight : 0;
  }
  return (gzip ?? any ?? 0) > 0;
}

/** Stored pages by key, each good while the database version is unchanged and it is younger than PAGE_MAX_AGE_MS. */
export class PageCache {
  private readonly pages = new Map<string, StoredPage>();

  constructor(private readonly maxEntries = MAX_ENTRIES) {}

  fresh(key: string, version: number, now: number): StoredPage | null {
    const page = this.pages.get(key);
    if (!page) return null;
    if (page.version === version && now - page.storedAt < PAGE_MAX_AGE_MS) return page;
    this.pages.delete(key);
    return null;
  }

  store(key: string, page: StoredPage): void {
    this.pages.delete(key);
    if (this.pages.size >= this.maxEntries) this.pages.delete(this.pages.keys().next().value!);
    this.pages.set(key, page);
  }

  get size(): number {
    return this.pages.size;
  }
}
