import type { Metadata } from "next";
import Link from "next/link";
import { inter } from "@/app/fonts";
import { Providers } from "@/components/providers";
import { UserMenu } from "@/components/auth/user-menu";
import { KeyboardShortcuts } from "@/components/ui/keyboard-shortcuts";
import { currentUser } from "@/lib/auth/session";
import { can, type Permission } from "@/lib/auth/roles";
import { publicReadEnabled } from "@/lib/security/access";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lucid Build Dashboard", template: "%s · Lucid Build Dashboard" },
  description: "Build, registry, health and compliance status of the Lucid 35-image plan",
};

// Links a role cannot use are not shown (the pages check the role themselves).
const nav: { href: string; label: string; permission: Permission }[] = [
  { href: "/", label: "Overview", permission: "read" },
  { href: "/status", label: "Status", permission: "read" },
  { href: "/bases", label: "Base images", permission: "read" },
  { href: "/plan/import", label: "Import plan", permission: "plan:import" },
  { href: "/settings", label: "Settings", permission: "settings:write" },
  { href: "/admin/users", label: "Admin", permission: "users:manage" },
];

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the session makes every page render per request, which the CSP nonce (proxy.ts) needs anyway.
  const user = await currentUser();
  const viewer = user ? { email: user.email, name: user.name, role: user.role } : null;
  // Anonymous visitors see links only when they may read (LUCID_PUBLIC_READ); otherwise only /login is open to them.
  const publicRead = publicReadEnabled();
  const links = user || publicRead ? nav.filter((item) => item.permission === "read" || can(user?.role, item.permission)) : [];
  return (
    <html lang="en" className={inter.variable}>
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-4 focus:top-3 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-slate-800"
        >
          Skip to content
        </a>
        <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/85 backdrop-blur dark:border-slate-800 dark:bg-slate-900/85">
          <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4 sm:gap-6 sm:px-6">
            <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight">
              <span aria-hidden className="grid size-7 place-items-center rounded-md bg-sky-600 text-xs font-bold text-white">
                L
              </span>
              <span className="sr-only min-[480px]:not-sr-only">Lucid<span className="sr-only lg:not-sr-only"> Build Dashboard</span></span>
            </Link>
            {/* Phones: every link in a menu (a disclosure, so it works without JavaScript); wider: inline. */}
            <details className="group relative sm:hidden" data-testid="phone-menu" data-menu>
              <summary className="cursor-pointer list-none rounded-md border border-slate-300 px-2.5 py-1 text-sm text-slate-700 marker:hidden dark:border-slate-700 dark:text-slate-200 [&::-webkit-details-marker]:hidden">
                Menu <span aria-hidden className="inline-block transition group-open:rotate-180">▾</span>
              </summary>
              <nav aria-label="Main" className="absolute left-0 top-full z-50 mt-2 flex w-48 flex-col rounded-lg border border-slate-200 bg-white p-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900">
                {links.map((item) => (
                  <Link key={item.href} href={item.href} className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800">
                    {item.label}
                  </Link>
                ))}
                {user ? (
                  <Link href="/account" className="rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800">
                    Your account
                  </Link>
                ) : null}
              </nav>
            </details>
            <nav aria-label="Main" className="-mx-1 hidden min-w-0 items-center gap-1 overflow-x-auto px-1 text-sm sm:flex">
              {links.map((item) => (
                <Link
                  key={item.href}
                  href={item.href}
                  className="whitespace-nowrap rounded-md px-2.5 py-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 sm:px-3 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white"
                >
                  {item.label}
                </Link>
              ))}
            </nav>
            <div className="ml-auto shrink-0">
              <UserMenu viewer={viewer} offerSignIn={publicRead} />
            </div>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-7xl px-4 py-8 sm:px-6">
          <Providers viewer={viewer}>{children}</Providers>
        </main>
        {links.length > 0 ? (
          <footer className="mx-auto max-w-7xl px-4 pb-8 text-xs text-slate-500 sm:px-6 dark:text-slate-400">
            <KeyboardShortcuts />
            <p className="hidden sm:block">Press <kbd className="kbd">?</kbd> for keyboard shortcuts.</p>
          </footer>
        ) : null}
      </body>
    </html>
  );
}
