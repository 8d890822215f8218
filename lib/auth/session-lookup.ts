// The session behind a request's cookie. better-auth checks it against the database (and verifies the cookie's
// signature) every time; a page request asks twice (the proxy, then the page) and every open page polls. The
// answer is kept until the database changes (lib/db/changes.ts): signing out, revoking, a role change or a
// deleted user all write to it, so none of them is missed; expiry and renewal are judged by the clock.
// better-auth's own cookieCache was considered and not used: it trusts a signed cookie for its whole maxAge,
// so a revoked session or a lowered role would still be honoured until it runs out.
import { getAuth, type Auth } from "@/lib/auth/auth";
import { SESSION_EXPIRES_IN_S, SESSION_UPDATE_AGE_S } from "@/lib/auth/constants";
import { sessionCookie } from "@/lib/auth/cookie";

/** Cookie headers longer than this are looked up every time rather than kept. */
const MAX_KEY_LENGTH = 8 * 1024;
import { databaseVersion } from "@/lib/db/changes";

export type Session = NonNullable<Awaited<ReturnType<Auth["api"]["getSession"]>>>;

/** `setCookies`: what better-auth answered (a renewed cookie, or one cleared); they must reach the browser. */
export type SessionLookup = { session: Session | null; setCookies: string[] };

const MAX_ENTRIES = 1_000;

type Entry = { version: number; until: number; session: Session };

const slot = globalThis as unknown as { lucidSessions?: Map<string, Entry> };
const entries = (slot.lucidSessions ??= new Map());

/** Until when an answer holds by the clock: the moment better-auth would renew the session (before it expires). */
function holdsUntil(session: Session): number {
  return new Date(session.session.expiresAt).getTime() - (SESSION_EXPIRES_IN_S - SESSION_UPDATE_AGE_S) * 1000;
}

export async function lookUpSession(headers: Headers, now = Date.now()): Promise<SessionLookup> {
  if (sessionCookie(headers) === null) return { session: null, setCookies: [] };
  // Keyed on the whole Cookie header, not on one cookie picked here: better-auth chooses which session cookie it
  // reads (the __Secure- one over HTTPS), and a key it would not read could be planted to alias another session.
  const cookie = headers.get("cookie") ?? "";
  // Read before asking, so a change committed meanwhile makes the next request ask again.
  const version = databaseVersion();
  const known = entries.get(cookie);
  if (known && known.version === version && now < known.until) return { session: known.session, setCookies: [] };

  const { headers: answered, response } = await (await getAuth()).api.getSession({ headers, returnHeaders: true });
  const setCookies = answered.getSetCookie();
  entries.delete(cookie);
  if (response && setCookies.length === 0 && cookie.length <= MAX_KEY_LENGTH) {
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
    entries.set(cookie, { version, until: holdsUntil(response), session: response });
  }
  return { session: response, setCookies };
}
