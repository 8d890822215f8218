// Accounts and sessions: better-auth with email and password, on the app's Prisma client (SQLite).
// Sign-up is closed: admins create users (/admin/users, `npx lucid user create`). Roles: lib/auth/roles.ts.
import { betterAuth } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { isPostgres } from "@/lib/db/dialect";
import { AUTH_BASE_PATH, COOKIE_PREFIX, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, SESSION_EXPIRES_IN_S, SESSION_UPDATE_AGE_S, SIGN_IN_RATE_LIMIT } from "@/lib/auth/constants";
import { DEFAULT_ROLE } from "@/lib/auth/roles";
import { resolveAuthSecret, type Env } from "@/lib/auth/secret";
import { expectedOrigins } from "@/lib/security/origin";
import { trustedProxies } from "@/lib/security/client-address";


/** LUCID_PUBLIC_URL as an origin (`https://builds.example.org`), or null when unset: then it is taken from each request. */
function publicOrigin(env: Env = process.env): string | null {
  const raw = env.LUCID_PUBLIC_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`LUCID_PUBLIC_URL must be an absolute http(s) URL such as https://builds.example.org; got ${JSON.stringify(raw.slice(0, 80))}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("LUCID_PUBLIC_URL must start with http:// or https://");
  return url.origin;
}

export function createAuth(prisma: PrismaClient, secret: string, env: Env = process.env) {
  const origin = publicOrigin(env);
  return betterAuth({
    appName: "Lucid Build Dashboard",
    secret,
    // Unset: better-auth takes the origin of each request (and trusts only that origin for its CSRF checks).
    baseURL: origin ?? undefined,
    basePath: AUTH_BASE_PATH,
    // Origins better-auth accepts on requests that carry cookies (its CSRF check): the host the browser addressed
    // (request.url would name Next.js's own hostname), plus LUCID_ALLOWED_ORIGINS.
    trustedOrigins: (request?: Request) => (request ? [...expectedOrigins(request, env)] : origin ? [origin] : []),
    database: prismaAdapter(prisma, { provider: isPostgres(prisma) ? "postgresql" : "sqlite", transaction: true }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
    },
    user: {
      additionalFields: {
        // The existing `role` column; never taken from a request (input: false), only set by lib/auth/users.ts.
        role: { type: "string", required: false, input: false, defaultValue: DEFAULT_ROLE },
        // Set by an admin's temporary password (lib/auth/passwords.ts); never from a request.
        mustChangePassword: { type: "boolean", required: false, input: false, defaultValue: false },
      },
    },
    session: {
      expiresIn: SESSION_EXPIRES_IN_S,
      updateAge: SESSION_UPDATE_AGE_S,
    },
    rateLimit: {
      // On in every environment (better-auth enables it only in production by default). In memory on SQLite (one
      // process); in the database on PostgreSQL, where several instances share the counts (table rateLimit).
      enabled: true,
      storage: isPostgres(prisma) ? "database" : "memory",
      window: 60,
      max: 100,
      customRules: { "/sign-in/email": SIGN_IN_RATE_LIMIT },
    },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      // Secure cookies only when the dashboard is known to be served over TLS: a plain-HTTP dashboard on a LAN
      // host (http://pi.local:3000) could not keep a Secure cookie, and nobody could sign in.
      useSecureCookies: origin?.startsWith("https://") ?? false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
      // The client address is X-Forwarded-For, which the server pins to the connection's address unless it comes
      // from a proxy in LUCID_TRUSTED_PROXIES (lib/security/client-address.ts); through those, their chain is walked.
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"], trustedProxies: trustedProxies(env) },
      // Origin and CSRF checks on, whatever NODE_ENV says (better-auth turns the origin check off under NODE_ENV=test).
      disableOriginCheck: false,
      disableCSRFCheck: false,
    },
    hooks: {
      // better-auth answers a sign-in with the session token in the JSON body too; the httpOnly cookie is
      // enough, and a token in the body is one that page scripts (or anything logging responses) can read.
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const returned: unknown = ctx.context.returned;
        if (returned === null || typeof returned !== "object" || returned instanceof Response || !("token" in returned)) return;
        const { token: _token, ...withoutToken } = returned as Record<string, unknown>;
        return ctx.json(withoutToken);
      }),
    },
    telemetry: { enabled: false },
    logger: {
      level: "warn",
      log: (level, message, ...args) => {
        // Without LUCID_PUBLIC_URL the origin is taken from each request on purpose (see README); not a warning here.
        if (!origin && message.includes("Base URL is not set")) return;
        const write = level === "error" ? console.error : level === "warn" ? console.warn : console.log;
        write(`[auth] ${message}`, ...args);
      },
    },
    // Lets server actions (sign-out) set and clear cookies through next/headers; must stay the last plugin.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

// One instance per process and database client, shared by every bundle Next.js loads this module into.
const slot = globalThis as unknown as { lucidAuth?: Promise<Auth> };

/** The app's auth instance (the secret comes from the environment or the Setting table, created once). */
export function getAuth(): Promise<Auth> {
  slot.lucidAuth ??= (async () => {
    const { prisma } = await import("@/lib/db/client");
    return createAuth(prisma, await resolveAuthSecret(prisma));
  })().catch((error: unknown) => {
    slot.lucidAuth = undefined;
    throw error;
  });
  return slot.lucidAuth;
}
