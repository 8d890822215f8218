"use client";

import { formatDuration, formatRelative, formatUtc } from "@/lib/format";
import { useNow } from "@/components/ui/use-now";

/**
 * A time as people read it at a glance ("3 min ago"), aging while the page is open, with the exact UTC time on
 * hover and for machines. The server's render may be a few seconds older than the browser's, hence the suppression.
 */
export function RelativeTime({ at: time, exact = false, className }: { at: string | Date; /** Also show the UTC time (where there is room, and no hover on phones). */ exact?: boolean; className?: string }) {
  const now = useNow(30_000);
  const at = typeof time === "string" ? time : time.toISOString();
  return (
    <time dateTime={at} title={formatUtc(at)} className={className} suppressHydrationWarning>
      {formatRelative(at, now)}
      {exact ? <span className="text-slate-500 dark:text-slate-400"> · {formatUtc(at)}</span> : null}
    </time>
  );
}

/** How long something has been running, ticking every second: a running build's elapsed time. */
export function Elapsed({ since, className }: { since: string; className?: string }) {
  const now = useNow(1000);
  return (
    <time dateTime={since} title={`started ${formatUtc(since)}`} className={className} suppressHydrationWarning data-testid="elapsed">
      {formatDuration(Math.max(0, now - Date.parse(since)))}
    </time>
  );
}
