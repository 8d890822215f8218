"use client";

import { useState } from "react";
import { BUTTON } from "@/components/ui/button";
import { INPUT } from "@/components/ui/field";

type Status = { kind: "idle" } | { kind: "pending" } | { kind: "error"; message: string };

function errorMessage(status: number, retryAfter: string | null, body: { message?: unknown; code?: unknown } | null): string {
  if (status === 429) {
    const seconds = Number(retryAfter);
    return `Too many sign-in attempts. Wait ${Number.isFinite(seconds) && seconds > 0 ? `${seconds} seconds` : "a minute"} and try again.`;
  }
  if (status === 401 || body?.code === "INVALID_EMAIL_OR_PASSWORD") return "Wrong email or password.";
  if (status === 400 && body?.code === "INVALID_EMAIL") return "That is not an email address.";
  const detail = typeof body?.message === "string" ? `: ${body.message}` : "";
  return `Sign-in failed (HTTP ${status})${detail}.`;
}

/** Posts to better-auth's sign-in endpoint (rate-limited there), then goes to `next`, a path checked on the server. */
export function LoginForm({ next }: { next: string }) {
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  async function submit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setStatus({ kind: "pending" });
    try {
      const response = await fetch("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: String(form.get("email") ?? ""), password: String(form.get("password") ?? ""), rememberMe: true }),
        credentials: "same-origin",
      });
      if (response.ok) {
        // A full load, so the header and every page render with the new session.
        window.location.assign(next);
        return;
      }
      const body = (await response.json().catch(() => null)) as { message?: unknown; code?: unknown } | null;
      setStatus({ kind: "error", message: errorMessage(response.status, response.headers.get("retry-after"), body) });
    } catch {
      setStatus({ kind: "error", message: "The dashboard could not be reached. Check the connection and try again." });
    }
  }

  const pending = status.kind === "pending";
  return (
    <form onSubmit={submit} className="space-y-4" data-testid="login-form" noValidate>
      <div>
        <label htmlFor="login-email" className="block text-sm font-medium">Email</label>
        <input id="login-email" name="email" type="email" autoComplete="username" required autoFocus className={INPUT} />
      </div>
      <div>
        <label htmlFor="login-password" className="block text-sm font-medium">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required className={INPUT} />
      </div>
      {status.kind === "error" ? (
        <p role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-500/40 dark:bg-rose-500/10 dark:text-rose-200" data-testid="login-error">
          {status.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className={`${BUTTON.primary} w-full font-semibold`}
      >
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
