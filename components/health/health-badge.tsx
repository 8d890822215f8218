"use client";

import clsx from "clsx";
import { formatAgo, formatUtc } from "@/lib/health/format";
import { HEALTH_STATE_LABELS, type HealthState } from "@/lib/health/outcomes";
import { useNow } from "@/components/health/use-now";

// The same tones as components/status-badge.tsx, light and dark.
const tone: Record<HealthState, string> = {
  up: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  degraded: "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30",
  down: "bg-rose-50 text-rose-800 ring-rose-600/25 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30",
  unknown: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/25",
  off: "bg-white text-slate-500 ring-slate-300 dark:bg-transparent dark:text-slate-400 dark:ring-slate-600",
};

const dot: Record<HealthState, string> = {
  up: "bg-emerald-500",
  degraded: "bg-amber-500",
  down: "bg-rose-500",
  unknown: "bg-slate-400",
  off: "border border-slate-400 bg-transparent",
};

type Props = { state: HealthState; since: string | null; lastError?: string | null };

/** Up / Degraded / Down / Unknown / Not polled, how long it has been so, and the last error on hover. */
export function HealthBadge({ state, since, lastError }: Props) {
  const now = useNow();
  const label = HEALTH_STATE_LABELS[state];
  const title = [since ? `${label} since ${formatUtc(since)}` : label, lastError ? `Last error: ${lastError}` : null].filter(Boolean).join("\n");
  return (
    <span
      title={title}
      data-health-state={state}
      className={clsx("inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset", tone[state])}
    >
      <span aria-hidden className={clsx("size-1.5 rounded-full", dot[state])} />
      {label}
      {since ? (
        <time dateTime={since} suppressHydrationWarning className="font-normal opacity-80">
          · {formatAgo(since, now)}
        </time>
      ) : null}
      {lastError ? <span className="sr-only">. Last error: {lastError}</span> : null}
    </span>
  );
}
