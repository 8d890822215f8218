import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/app/login/login-form";
import { currentUser } from "@/lib/auth/session";
import { safeNextPath } from "@/lib/security/redirect";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function LoginPage({ searchParams }: Props) {
  const { next } = await searchParams;
  // Only a path on this dashboard: ?next=https://elsewhere or //elsewhere falls back to the overview.
  const target = safeNextPath(typeof next === "string" ? next : null) ?? "/";
  if (await currentUser()) redirect(target);

  return (
    <div className="mx-auto mt-6 max-w-sm sm:mt-14">
      <div className="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8 dark:border-slate-800 dark:bg-slate-900">
        <div className="mb-6 flex items-center gap-3">
          <span aria-hidden className="grid size-9 place-items-center rounded-lg bg-sky-600 text-sm font-bold text-white">L</span>
          <div>
            <h1 className="text-xl font-semibold tracking-tight">Sign in</h1>
            <p className="text-sm text-slate-600 dark:text-slate-300">Lucid Build Dashboard</p>
          </div>
        </div>
        <LoginForm next={target} />
      </div>
      <p className="mt-4 px-2 text-center text-xs text-slate-500 dark:text-slate-400">
        Accounts are created by an admin. The first one: <code className="font-mono">npx lucid user create --admin EMAIL</code>
      </p>
    </div>
  );
}
