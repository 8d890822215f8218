// Where /login sends a user back to: only a path on this dashboard, never another origin.

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Request header in which proxy.ts passes the requested path and query to pages and server actions. */
export const PATH_HEADER = "x-lucid-path";

/**
 * `raw` if it is a same-origin relative path (`/images/x?page=2`), else null. Refused: absolute and
 * protocol-relative URLs (`//evil.example`), backslashes (browsers read `/\evil` as `//evil`), control
 * characters, encoded slashes that could turn into either, the login page itself and the auth API.
 */
export function safeNextPath(raw: string | null | undefined): string | null {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return null;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\") || CONTROL.test(raw)) return null;
  const pathEnd = raw.search(/[?#]/);
  const path = pathEnd === -1 ? raw : raw.slice(0, pathEnd);
  if (/%2f|%5c/i.test(path)) return null;
  let url: URL;
  try {
    url = new URL(raw, "http://lucid.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "http://lucid.invalid") return null;
  if (url.pathname === "/login" || url.pathname.startsWith("/api/")) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** /login, with `?next=` when there is somewhere (other than the overview) to come back to. */
export function loginPath(returnTo?: string | null): string {
  const next = safeNextPath(returnTo);
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}
