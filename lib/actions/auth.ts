"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getAuth } from "@/lib/auth/auth";
import { recordSignOut } from "@/lib/auth/sign-in-audit";

/**
 * Ends the caller's own session and goes to /login. The one server action without requireRole(): it needs no
 * role (a user whose role was removed must still be able to sign out), and only ever touches the caller's session.
 */
export async function signOut(): Promise<void> {
  const auth = await getAuth();
  const requestHeaders = await headers();
  const session = await auth.api.getSession({ headers: requestHeaders });
  if (session) {
    // nextCookies() (lib/auth/auth.ts) clears the cookie through next/headers.
    await auth.api.signOut({ headers: requestHeaders });
    await recordSignOut(session.user.email);
  }
  redirect("/login");
}
