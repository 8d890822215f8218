import Link from "next/link";

// Rendered with status 403 when requireRole() finds the signed-in user's role too low (lib/auth/session.ts).
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-xl rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm dark:border-slate-800 dark:bg-slate-900" data-testid="forbidden">
      <p className="text-sm font-semibold uppercase tracking-wide text-rose-700 dark:text-rose-400">403 · Not allowed</p>
      <h1 className="mt-2 text-xl font-semibold">Your role does not allow this</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        Signed in, but without the role this needs. Ask an admin for a role that allows it, or sign in as another user.
      </p>
      <Link href="/" className="mt-5 inline-block rounded-md bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700">
        Back to the overview
      </Link>
    </div>
  );
}
