import { describe, expect, it } from "vitest";
import { accessFor, isPublicPath, publicReadEnabled } from "@/lib/security/access";
import { contentSecurityPolicy, createNonce } from "@/lib/security/csp";
import { expectedOrigins, isSameOriginRequest, requestOrigins } from "@/lib/security/origin";
import { loginPath, safeNextPath } from "@/lib/security/redirect";
import { clientAddressOf, normalizeAddress, pinClientAddress, trustedProxies } from "@/lib/security/client-address";

describe("safeNextPath", () => {
  it("keeps paths on this dashboard", () => {
    expect(safeNextPath("/")).toBe("/");
    expect(safeNextPath("/images/lucid-vm?page=2#history")).toBe("/images/lucid-vm?page=2#history");
    expect(safeNextPath("/admin/audit?actor=user%20a%40b")).toBe("/admin/audit?actor=user%20a%40b");
  });

  it("refuses other origins and the tricks that reach them", () => {
    for (const raw of [
      "https://evil.example/",
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/%2F%2Fevil.example",
      "/%5c%5cevil.example",
      "javascript:alert(1)",
      " /x",
      "/x\n",
      "/\tevil",
      "images",
      "",
      null,
      undefined,
      "/login?next=/",
      "/api/plan",
      `/${"a".repeat(3000)}`,
    ]) {
      expect(safeNextPath(raw), String(raw)).toBeNull();
    }
  });

  it("judges the path that is returned, after dot segments and encoded dots are resolved", () => {
    for (const raw of ["/.//evil.example/phish", "/..//x", "/%2e%2e//x", "/%2E//x", "/foo/..//x", "/a/b/../..//evil.example", "/./%2e/..//x"]) {
      expect(safeNextPath(raw), raw).toBeNull();
      expect(loginPath(raw), raw).toBe("/login");
    }
    // Dot segments that stay on this dashboard are fine, returned as the browser would resolve them.
    expect(safeNextPath("/images/../settings")).toBe("/settings");
    expect(safeNextPath("/./images/x")).toBe("/images/x");
  });

  it("builds /login links", () => {
    expect(loginPath("/settings")).toBe("/login?next=%2Fsettings");
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("//evil.example")).toBe("/login");
    expect(loginPath()).toBe("/login");
  });
});

describe("accessFor", () => {
  const base = { authenticated: false, publicRead: false };
  it("sends anonymous page reads to /login and API reads to 401", () => {
    expect(accessFor({ ...base, pathname: "/", method: "GET" })).toBe("login");
    expect(accessFor({ ...base, pathname: "/images/lucid-vm", method: "HEAD" })).toBe("login");
    expect(accessFor({ ...base, pathname: "/api/plan", method: "GET" })).toBe("unauthorized");
    expect(accessFor({ ...base, pathname: "/api/builds/1/log", method: "GET" })).toBe("unauthorized");
  });

  it("lets signed-in callers read, and anyone with public read on", () => {
    expect(accessFor({ ...base, authenticated: true, pathname: "/", method: "GET" })).toBe("allow");
    expect(accessFor({ ...base, publicRead: true, pathname: "/api/plan", method: "GET" })).toBe("allow");
  });

  it("passes writes through to the route or action, which checks the role or scope itself", () => {
    expect(accessFor({ ...base, pathname: "/api/builds", method: "POST" })).toBe("allow");
    expect(accessFor({ ...base, pathname: "/settings", method: "POST" })).toBe("allow");
  });

  it("always opens the sign-in page and better-auth's endpoints", () => {
    expect(isPublicPath("/login")).toBe(true);
    expect(isPublicPath("/api/auth/sign-in/email")).toBe(true);
    expect(isPublicPath("/api/authx")).toBe(false);
    expect(isPublicPath("/login/x")).toBe(false);
    expect(accessFor({ ...base, pathname: "/login", method: "GET" })).toBe("allow");
  });

  it("reads LUCID_PUBLIC_READ strictly", () => {
    expect(publicReadEnabled({ LUCID_PUBLIC_READ: "true" })).toBe(true);
    expect(publicReadEnabled({ LUCID_PUBLIC_READ: "1" })).toBe(true);
    for (const value of [undefined, "", "false", "0", "yes please"]) expect(publicReadEnabled({ LUCID_PUBLIC_READ: value })).toBe(false);
  });
});

describe("origin checks", () => {
  const request = (headers: Record<string, string>) => ({ url: "http://localhost:3000/api/builds", headers: new Headers({ host: "127.0.0.1:3210", ...headers }) });

  it("takes the origin from the Host header the browser addressed, not Next.js's request.url", () => {
    expect(requestOrigins(new Headers({ host: "127.0.0.1:3210" }))).toEqual(["http://127.0.0.1:3210"]);
    expect(requestOrigins(new Headers({ host: "10.0.0.2:3000", "x-forwarded-host": "builds.example.org", "x-forwarded-proto": "https" }))).toEqual([
      "https://builds.example.org",
      "https://10.0.0.2:3000",
    ]);
  });

  it("accepts same-origin writes and those without browser headers, refuses other origins", () => {
    expect(isSameOriginRequest(request({ origin: "http://127.0.0.1:3210" }), {})).toBe(true);
    expect(isSameOriginRequest(request({}), {})).toBe(true);
    expect(isSameOriginRequest(request({ "sec-fetch-site": "same-origin" }), {})).toBe(true);
    expect(isSameOriginRequest(request({ origin: "http://evil.example" }), {})).toBe(false);
    expect(isSameOriginRequest(request({ origin: "http://127.0.0.1:9999" }), {})).toBe(false);
    expect(isSameOriginRequest(request({ "sec-fetch-site": "cross-site" }), {})).toBe(false);
    expect(isSameOriginRequest(request({ "sec-fetch-site": "same-site" }), {})).toBe(false);
    expect(isSameOriginRequest(request({ origin: "null" }), {})).toBe(false);
  });

  it("compares with LUCID_PUBLIC_URL instead of the Host header when it is set, plus LUCID_ALLOWED_ORIGINS, and nothing by default", () => {
    const origins = expectedOrigins(request({}), { LUCID_PUBLIC_URL: "https://builds.example.org/", LUCID_ALLOWED_ORIGINS: "ops.example.org, https://b.example" });
    expect([...origins].sort()).toEqual(["http://ops.example.org", "https://b.example", "https://builds.example.org", "https://ops.example.org"]);
    expect([...expectedOrigins(request({}), {})]).toEqual(["http://127.0.0.1:3210"]);
  });

  it("refuses a forged Host matching a forged Origin when LUCID_PUBLIC_URL is set", () => {
    const env = { LUCID_PUBLIC_URL: "https://builds.example.org" };
    expect(isSameOriginRequest(request({ host: "evil.example", origin: "http://evil.example" }), env)).toBe(false);
    expect(isSameOriginRequest(request({ origin: "https://builds.example.org" }), env)).toBe(true);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows scripts only with the nonce, never inline or eval in production, and no framing", () => {
    const nonce = createNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(nonce);
    const csp = contentSecurityPolicy(nonce);
    const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "));
    expect(scriptSrc).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy(nonce, { https: true })).toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy(nonce, { dev: true })).toContain("'unsafe-eval'");
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(contentSecurityPolicy(nonce, { dev: true })).toContain("style-src 'self' 'unsafe-inline'");
  });
});

describe("client address", () => {
  const request = (remoteAddress: string | undefined, xff?: string) => ({
    headers: xff === undefined ? ({} as Record<string, string>) : { "x-forwarded-for": xff },
    socket: { remoteAddress },
  });

  it("replaces a client's own X-Forwarded-For with the connection's address", () => {
    const req = request("::ffff:192.0.2.7", "203.0.113.99");
    pinClientAddress(req as never, new Set());
    expect(req.headers["x-forwarded-for"]).toBe("192.0.2.7");
    const plain = request("2001:db8::1");
    pinClientAddress(plain as never, new Set());
    expect(plain.headers["x-forwarded-for"]).toBe("2001:db8::1");
  });

  it("keeps the header from a trusted proxy, and reads the client behind it", () => {
    const req = request("10.0.0.5", "198.51.100.1, 192.0.2.7");
    pinClientAddress(req as never, new Set(trustedProxies({ LUCID_TRUSTED_PROXIES: "10.0.0.5, 10.0.0.6" })));
    expect(req.headers["x-forwarded-for"]).toBe("198.51.100.1, 192.0.2.7");
    const headers = new Headers({ "x-forwarded-for": "198.51.100.1, 192.0.2.7, 10.0.0.6" });
    expect(clientAddressOf(headers, { LUCID_TRUSTED_PROXIES: "10.0.0.5,10.0.0.6" })).toBe("192.0.2.7");
    expect(clientAddressOf(new Headers(), {})).toBeNull();
  });

  it("drops the forwarded host, scheme and port unless a trusted proxy sent them", () => {
    const forged = { headers: { host: "127.0.0.1:3000", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", "x-forwarded-port": "443", forwarded: "host=evil.example" } as Record<string, string>, socket: { remoteAddress: "192.0.2.7" } };
    pinClientAddress(forged as never, new Set());
    expect(forged.headers).toEqual({ host: "127.0.0.1:3000", "x-forwarded-for": "192.0.2.7" });
    const proxied = { headers: { host: "10.0.0.2:3000", "x-forwarded-host": "builds.example.org", "x-forwarded-proto": "https" } as Record<string, string>, socket: { remoteAddress: "10.0.0.5" } };
    pinClientAddress(proxied as never, new Set(["10.0.0.5"]));
    expect(proxied.headers["x-forwarded-host"]).toBe("builds.example.org");
    expect(proxied.headers["x-forwarded-proto"]).toBe("https");
  });

  it("drops the header when the connection has no address", () => {
    const req = request(undefined, "203.0.113.99");
    pinClientAddress(req as never, new Set());
    expect(req.headers["x-forwarded-for"]).toBeUndefined();
    expect(normalizeAddress("::FFFF:127.0.0.1")).toBe("127.0.0.1");
  });
});
