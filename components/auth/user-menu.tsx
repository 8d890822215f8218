import Link from "next/link";
import { signOut } from "@/lib/actions/auth";
import type { Viewer } from "@/components/auth/viewer";

const roleTone: Record<string, string> = {
  admin: "bg-violet-100 text-violet-800 dark:bg-violet-500/15 dark:text-violet-200",
  operator: "bg-sky-100 text-sky-800 dark:bg-sky-500/15 dark:text-sky-200",
  viewer: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200",
};

/** Who is signed in, with their role, and the sign-out button; "Sign in" for anonymous readers (public read). */
export function UserMenu({ viewer, offerSignIn }: { viewer: Viewer; offerSignIn: boolean }) {
  if (!viewer) {
    if (!offerSignIn) return null;
    return (
      <Link href="/login" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
        Sign in
      </Link>
    );
  }
  const role = viewer.role ?? "no role";
  return (
    <div className="flex items-center gap-2 text-sm" data-testid="user-menu">
      <Link href="/account" className="hidden max-w-[16rem] truncate text-slate-600 hover:underline md:inline dark:text-slate-300" title={`${viewer.email}: your account and password`} data-testid="user-email">
        {viewer.email}
      </Link>
      <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${roleTone[role] ?? roleTone.viewer}`} data-testid="user-role" title={`Signed in as ${viewer.email} (${role})`}>
        {role}
      </span>
      <form action={signOut}>
        <button
          type="submit"
          className="whitespace-nowrap rounded-md border border-slate-300 px-2.5 py-1 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          Sign out
        </button>
      </form>
    </div>
  );
}
