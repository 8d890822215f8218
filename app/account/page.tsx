import type { Metadata } from "next";
import { requireSignedIn } from "@/lib/auth/session";
import { CARD } from "@/components/ui/card";
import { PasswordForm } from "@/app/account/password-form";

export const metadata: Metadata = { title: "Your account" };
export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const user = await requireSignedIn();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Your account</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          Signed in as <span className="font-medium">{user.email}</span> ({user.role ?? "no role"}).
        </p>
      </div>
      {user.mustChangePassword ? (
        <p role="alert" className="max-w-xl rounded-xl border border-amber-300/60 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-500/10 dark:text-amber-200" data-testid="must-change">
          An admin set a temporary password for you. Choose your own to go on: nothing else opens until you do.
        </p>
      ) : null}
      <section aria-labelledby="password-title" className={`${CARD.roomy} max-w-xl`}>
        <h2 id="password-title" className="text-lg font-semibold">Change your password</h2>
        <PasswordForm />
      </section>
    </div>
  );
}
