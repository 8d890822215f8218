"use client";

import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone";
import { formatAgo, formatUtc } from "@/lib/format";
import { HEALTH_STATE_LABELS, type HealthState } from "@/lib/health/outcomes";
import { useNow } from "@/components/ui/use-now";

const TONE: Record<HealthState, Tone> = { up: "green", degraded: "amber", failing: "amber", down: "red", unknown: "slate", off: "outline", not_deployed: "outline", not_checked: "slate" };

type Props = { state: HealthState; since: string | null; lastError?: string | null };

/** Up / Degraded / Down / Unknown / Not checked / Not polled, how long it has been so, and the last error on hover. */
export function HealthBadge({ state, since, lastError }: Props) {
  const now = useNow();
  const label = HEALTH_STATE_LABELS[state];
  const title = [since ? `${label} since ${formatUtc(since)}` : label, lastError ? `Last error: ${lastError}` : null].filter(Boolean).join("\n");
  return (
    <Badge tone={TONE[state]} title={title} data-health-state={state}>
      {label}
      {since ? (
        <time dateTime={since} suppressHydrationWarning className="font-normal opacity-80">
          · {formatAgo(since, now)}
        </time>
      ) : null}
      {lastError ? <span className="sr-only">. Last error: {lastError}</span> : null}
    </Badge>
  );
}
