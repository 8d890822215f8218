import clsx from "clsx";
import { describeProbe } from "@/lib/health/format";
import { formatUtc } from "@/lib/format";
import type { ProbeOutcome } from "@/lib/db/vocabulary";
import type { LastProbe } from "@/lib/health/queries";

const TICK: Record<ProbeOutcome, string> = {
  up: "bg-emerald-500",
  degraded: "bg-amber-400",
  down: "bg-rose-500",
  timeout: "bg-amber-500",
  refused: "bg-rose-600",
  dns: "bg-violet-500",
  bad_body: "bg-orange-500",
  error: "bg-rose-700",
};

/** One tick per probe, oldest on the left, padded to `slots` so the bar keeps its width. */
export function HeartbeatBar({ probes, slots = 50 }: { probes: LastProbe[]; slots?: number }) {
  const shown = probes.slice(-slots);
  return (
    <ol aria-label={`Last ${shown.length} probes, oldest first`} className="flex h-8 items-stretch gap-[3px]" data-testid="heartbeat-bar">
      {Array.from({ length: slots - shown.length }, (_, i) => (
        <li key={`empty-${i}`} aria-hidden className="w-1.5 flex-1 rounded-sm bg-slate-200 dark:bg-slate-800" />
      ))}
      {shown.map((probe, i) => {
        const label = `${formatUtc(probe.at)}: ${describeProbe(probe)}`;
        return (
          <li key={`${probe.at}-${i}`} title={label} data-outcome={probe.outcome} className={clsx("w-1.5 flex-1 rounded-sm", TICK[probe.outcome])}>
            <span className="sr-only">{label}</span>
          </li>
        );
      })}
    </ol>
  );
}
