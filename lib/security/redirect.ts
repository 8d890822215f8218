// Where /login sends a user back to: only a path on this dashboard, never another origin.

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Request header in which proxy.ts passes the requested path and query to pages and server actions. */
export const PATH_HEADER = "x-lucid-path";

/**
 * The path to send the user to for `raw`, if that is a path on this dashboard (`/images/x?page=2`), else null.
 * The value judged is the one returned: `raw` is normalised first (dot segments, percent-encoded dots), because
 * `/.//evil.example` normalises to `//evil.example`, which a browser reads as another host. Refused: absolute
 * and protocol-relative URLs, backslashes (browsers read `/\evil` as `//evil`), control characters, encoded
 * slashes that could turn into either, the login page itself and the auth API.
 */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return null;
  if (!isPlainPath(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, "http://lucid.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://lucid.invalid") return null;
  const used = `${url.pathname}${url.search}${url.hash}`;
  if (!isPlainPath(used)) return null;
  if (url.pathname === "/login" || url.pathname.startsWith("/api/")) return null;
  return used;
}

/** A single leading slash, no backslash, no control character, no encoded slash in the path part. */
function isPlainPath(value: string): boolean {
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || CONTROL.test(value)) return false;
  const pathEnd = value.search(/[?#]/);
  const path = pathEnd === -1 ? value : value.slice(0, pathEnd);
  return !/%2f|%5c/i.test(path);
}

/** /login, with `?next=` when there is somewhere (other than the overview) to come back to. */
export function loginPath(returnTo?: string | null): string {
  const next = safeNextPath(returnTo);
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
