import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptsGzip, cacheablePath, PAGE_MAX_AGE_MS, PageCache, pageKey, storablePage, withNonce, type RenderedResponse } from "@/lib/server/page-cache";

const NONCE = "q3Zr+9xY/aB0cD1eF2gH3w==";
const HTML = `<!DOCTYPE html><html><head><script nonce="${NONCE}">1</script></head><body><script nonce="${NONCE}">2</script></body></html>`;

function rendered(overrides: Partial<RenderedResponse> = {}, headers: RenderedResponse["headers"] = {}): RenderedResponse {
  return {
    status: 200,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": `script-src 'self' 'nonce-${NONCE}' 'strict-dynamic'; style-src 'self' 'nonce-${NONCE}'`,
      link: `</font.woff2>; rel=preload; nonce="${NONCE}"`,
      "content-encoding": "gzip",
      "content-length": 123,
      date: "Mon, 30 Nov 2026 13:00:00 GMT",
      vary: "rsc, Accept-Encoding",
      ...headers,
    },
    body: gzipSync(HTML),
    ...overrides,
  };
}

describe("cacheablePath", () => {
  const get = (url: string, headers: Record<string, string> = {}) => cacheablePath({ method: "GET", url, headers });
  it("takes a plain GET of the overview or the status page", () => {
    expect(get("/")).toBe("/");
    expect(get("/status")).toBe("/status");
  });
  it("leaves every other request to Next.js: other pages, queries, RSC and prefetch requests, server actions, other methods", () => {
    expect(get("/images/lucid-auth-service")).toBeNull();
    expect(get("/?phase=2")).toBeNull();
    expect(get("/", { rsc: "1" })).toBeNull();
    expect(get("/", { "next-router-prefetch": "1" })).toBeNull();
    expect(get("/", { "next-action": "abc" })).toBeNull();
    expect(cacheablePath({ method: "POST", url: "/", headers: {} })).toBeNull();
    expect(cacheablePath({ method: "HEAD", url: "/", headers: {} })).toBeNull();
  });
});

describe("storablePage", () => {
  it("keeps a rendered 200 page decoded, with its nonce, without per-response headers", () => {
    const page = storablePage(rendered(), 7, 1000)!;
    expect(page).toMatchObject({ version: 7, storedAt: 1000, nonce: NONCE, body: HTML });
    const names = page.headers.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(["content-type", "content-security-policy", "link", "vary"]));
    expect(names).not.toEqual(expect.arrayContaining(["content-encoding"]));
    expect(names.some((n) => ["date", "content-length", "content-encoding"].includes(n))).toBe(false);
  });

  it("refuses what must be rendered again: another status, a cookie being set, no nonce, not HTML, a cut-off body", () => {
    expect(storablePage(rendered({ status: 307 }), 1, 0)).toBeNull();
    expect(storablePage(rendered({ status: 403 }), 1, 0)).toBeNull();
    expect(storablePage(rendered({}, { "set-cookie": ["lucid.session_token=renewed"] }), 1, 0)).toBeNull();
    expect(storablePage(rendered({}, { "content-security-policy": "script-src 'self'" }), 1, 0)).toBeNull();
    expect(storablePage(rendered({}, { "content-type": "application/json" }), 1, 0)).toBeNull();
    expect(storablePage(rendered({ body: gzipSync(HTML.slice(0, 60)) }), 1, 0)).toBeNull();
    expect(storablePage(rendered({ body: Buffer.from("not gzip") }), 1, 0)).toBeNull();
    expect(storablePage(rendered({}, { "content-encoding": "zstd" }), 1, 0)).toBeNull();
  });

  it("reads an uncompressed page too", () => {
    expect(storablePage(rendered({ body: Buffer.from(HTML) }, { "content-encoding": undefined }), 1, 0)?.body).toBe(HTML);
  });
});

describe("withNonce", () => {
  it("puts the new nonce everywhere the old one was, in the body and the headers, and leaves no trace of the old", () => {
    const page = storablePage(rendered(), 1, 0)!;
    const { headers, body } = withNonce(page, "NEW+nonce/==");
    expect(body).not.toContain(NONCE);
    expect(body.match(/NEW\+nonce\/==/g)).toHaveLength(2);
    const csp = headers.find(([name]) => name === "content-security-policy")![1];
    expect(csp).toBe("script-src 'self' 'nonce-NEW+nonce/==' 'strict-dynamic'; style-src 'self' 'nonce-NEW+nonce/=='");
    expect(headers.find(([name]) => name === "link")![1]).toContain('nonce="NEW+nonce/=="');
    expect(page.body).toBe(HTML);
  });
});

describe("PageCache", () => {
  const page = (version: number, storedAt: number) => storablePage(rendered(), version, storedAt)!;
  const admin = pageKey("127.0.0.1:3000", "/", { id: "u1", role: "admin" });

  it("answers while the database version is the one it was rendered at and it is young enough", () => {
    const cache = new PageCache();
    cache.store(admin, page(5, 1000));
    expect(cache.fresh(admin, 5, 1000 + PAGE_MAX_AGE_MS - 1)).not.toBeNull();
    expect(cache.fresh(admin, 6, 1001)).toBeNull();
    expect(cache.fresh(admin, 5, 1001)).toBeNull(); // dropped when found stale
    cache.store(admin, page(5, 1000));
    expect(cache.fresh(admin, 5, 1000 + PAGE_MAX_AGE_MS)).toBeNull();
  });

  it("keeps each user's page, and each role's, apart", () => {
    const cache = new PageCache();
    cache.store(admin, page(1, 0));
    expect(cache.fresh(pageKey("127.0.0.1:3000", "/", { id: "u2", role: "viewer" }), 1, 0)).toBeNull();
    expect(cache.fresh(pageKey("127.0.0.1:3000", "/", { id: "u1", role: "viewer" }), 1, 0)).toBeNull();
    expect(cache.fresh(pageKey("127.0.0.1:3000", "/status", { id: "u1", role: "admin" }), 1, 0)).toBeNull();
    expect(cache.fresh(admin, 1, 0)).not.toBeNull();
  });

  it("holds at most its capacity, forgetting the oldest first", () => {
    const cache = new PageCache(2);
    for (const id of ["a", "b", "c"]) cache.store(pageKey("h", "/", { id }), page(1, 0));
    expect(cache.size).toBe(2);
    expect(cache.fresh(pageKey("h", "/", { id: "a" }), 1, 0)).toBeNull();
    expect(cache.fresh(pageKey("h", "/", { id: "c" }), 1, 0)).not.toBeNull();
  });
});

describe("acceptsGzip", () => {
  it.each([
    ["gzip, deflate, br", true],
    ["br;q=1.0, gzip;q=0.8", true],
    ["*", true],
    ["gzip;q=0", false],
    ["identity", false],
    ["*;q=0.5, gzip;q=0", false],
    [undefined, false],
  ])("%s → %s", (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});
