import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// better-auth stands in: what matters here is when it is asked, and that its answer is only reused while the
// database is unchanged and the session is not due for renewal.
const auth = vi.hoisted(() => ({ calls: 0, answer: null as unknown, setCookies: [] as string[] }));
vi.mock("@/lib/auth/auth", () => ({
  getAuth: async () => ({
    api: {
      getSession: async () => {
        auth.calls += 1;
        const headers = new Headers();
        for (const cookie of auth.setCookies) headers.append("set-cookie", cookie);
        return { headers, response: auth.answer };
      },
    },
  }),
}));

const { lookUpSession } = await import("@/lib/auth/session-lookup");

const DAY = 24 * 3600 * 1000;
const NOW = Date.UTC(2026, 10, 30, 12);
const session = (expiresAt: number) => ({ session: { id: "s1", expiresAt: new Date(expiresAt) }, user: { id: "u1", email: "ada@example.test", role: "admin" } });
const withCookie = (value: string) => new Headers({ cookie: `other=1; lucid.session_token=${value}` });

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
const savedUrl = process.env.DATABASE_URL;

beforeEach(async () => {
  let url: string;
  ({ prisma, url, cleanup } = await createTestDatabase());
  process.env.DATABASE_URL = url;
  Object.assign(auth, { calls: 0, answer: session(NOW + 7 * DAY), setCookies: [] });
});
afterEach(async () => {
  process.env.DATABASE_URL = savedUrl;
  await cleanup();
});

describe("lookUpSession", () => {
  it.skipIf(onPostgres)("asks better-auth once while nothing changes, and again after any write to the database", async () => {
    expect((await lookUpSession(withCookie("a.sig"), NOW)).session).toEqual(auth.answer);
    await lookUpSession(withCookie("a.sig"), NOW);
    await lookUpSession(withCookie("a.sig"), NOW + 1000);
    expect(auth.calls).toBe(1);

    // A sign-out, a revoked session or a changed role is a write: the next request is checked against it.
    await prisma.setting.create({ data: { key: "anything", value: "changed" } });
    auth.answer = null;
    expect((await lookUpSession(withCookie("a.sig"), NOW + 2000)).session).toBeNull();
    expect(auth.calls).toBe(2);
  });

  it("never answers one cookie with another's session, and asks nothing without a session cookie", async () => {
    await lookUpSession(withCookie("a.sig"), NOW);
    await lookUpSession(withCookie("b.sig"), NOW);
    expect(auth.calls).toBe(2);
    expect(await lookUpSession(new Headers({ cookie: "other=1" }), NOW)).toEqual({ session: null, setCookies: [] });
    expect(auth.calls).toBe(2);
  });

  it("never lets a planted cookie stand for the session better-auth read (the __Secure- one over HTTPS)", async () => {
    await lookUpSession(new Headers({ cookie: "lucid.session_token=planted; __Secure-lucid.session_token=real.sig" }), NOW);
    auth.answer = null;
    expect((await lookUpSession(new Headers({ cookie: "lucid.session_token=planted" }), NOW)).session).toBeNull();
    expect(auth.calls).toBe(2);
  });

  it("keeps no answer that set cookies (a renewal must reach the browser) and no answer of 'not signed in'", async () => {
    auth.setCookies = ["lucid.session_token=renewed; Path=/"];
    expect((await lookUpSession(withCookie("a.sig"), NOW)).setCookies).toEqual(auth.setCookies);
    await lookUpSession(withCookie("a.sig"), NOW);
    expect(auth.calls).toBe(2);

    auth.setCookies = [];
    auth.answer = null;
    await lookUpSession(withCookie("c.sig"), NOW);
    await lookUpSession(withCookie("c.sig"), NOW);
    expect(auth.calls).toBe(4);
  });

  it.skipIf(onPostgres)("asks again once the session is due for renewal (a day after it was last renewed)", async () => {
    auth.answer = session(NOW + 7 * DAY);
    await lookUpSession(withCookie("a.sig"), NOW);
    await lookUpSession(withCookie("a.sig"), NOW + DAY - 1);
    expect(auth.calls).toBe(1);
    await lookUpSession(withCookie("a.sig"), NOW + DAY);
    expect(auth.calls).toBe(2);
  });
});
