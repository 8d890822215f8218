import Link from "next/link";
import { BUTTON } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";

// Rendered with status 403 when requireRole() finds the signed-in user's role too low (lib/auth/session.ts).
export default function Forbidden() {
  return (
    <div className={`${CARD.bare} mx-auto max-w-xl p-8 text-center`} data-testid="forbidden">
      <p className="text-sm font-semibold uppercase tracking-wide text-rose-700 dark:text-rose-400">403 · Not allowed</p>
      <h1 className="mt-2 text-xl font-semibold">Your role does not allow this</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        Signed in, but without the role this needs. Ask an admin for a role that allows it, or sign in as another user.
      </p>
      <Link href="/" className={`${BUTTON.primary} mt-5`}>
        Back to the overview
      </Link>
    </div>
  );
}
