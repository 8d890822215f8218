// Who is signed in, for server components and server actions. Every server action and every page that changes
// something calls requireRole(); hiding a button is never the protection.
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { userActor, type Actor } from "@/lib/audit/audit";
import { lookUpSession } from "@/lib/auth/session-lookup";
import { hasRole, isRole, type Role } from "@/lib/auth/roles";
import { loginPath, PATH_HEADER } from "@/lib/security/redirect";
import { publicReadEnabled } from "@/lib/security/access";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  /** As stored; a value that is not a known role grants nothing. */
  role: Role | null;
  actor: Actor;
  /** An admin set a temporary password: nothing but changing it is open until it is changed. */
  mustChangePassword: boolean;
  /** The session's token, so that a password change can keep this session and end the others. */
  sessionToken: string;
};

/** Where a user with a temporary password is sent, whatever they asked for. */
export const CHANGE_PASSWORD_PATH = "/account";

/** The signed-in user of this request, or null; looked up once per request. */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  // headers() first: it marks the render as per-request before anything touches the database.
  const requestHeaders = await headers();
  // Any Set-Cookie it answers was already sent by the proxy, which looked the same cookie up first.
  const { session } = await lookUpSession(requestHeaders);
  if (!session) return null;
  const { id, email, name, role } = session.user;
  const mustChangePassword = (session.user as { mustChangePassword?: boolean | null }).mustChangePassword === true;
  return { id, email, name, role: isRole(role) ? role : null, actor: userActor(email), mustChangePassword, sessionToken: session.session.token };
});

/** The page asked for, as proxy.ts passed it on (checked again by loginPath). */
async function requestedPath(): Promise<string | null> {
  return (await headers()).get(PATH_HEADER);
}

/**
 * The signed-in user if they have at least `minimum`. Nobody signed in: redirect to /login (back to `returnTo`
 * afterwards; by default the page requested). Signed in without the role: 403 (Next's forbidden(), rendered by app/forbidden.tsx).
 */
export async function requireRole(minimum: Role, returnTo?: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(loginPath(returnTo ?? (await requestedPath())));
  if (user.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
  if (!hasRole(user.role, minimum)) forbidden();
  return user;
}

/** The signed-in user, whatever their role, even one who must change their password: for the account page. */
export async function requireSignedIn(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(loginPath(CHANGE_PASSWORD_PATH));
  return user;
}

/**
 * For pages that only read: the signed-in user (any role), or null when LUCID_PUBLIC_READ lets anonymous
 * visitors read. The proxy already sends anonymous visitors to /login; this is the same rule, checked again
 * where the data is read.
 */
export async function requireReader(returnTo?: string): Promise<SessionUser | null> {
  const user = await currentUser();
  if (user) {
    if (user.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
    if (!hasRole(user.role, "viewer")) forbidden();
    return user;
  }
  if (publicReadEnabled()) return null;
  redirect(loginPath(returnTo ?? (await requestedPath())));
}
