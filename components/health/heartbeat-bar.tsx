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
  // Grey like "no probe", but darker: the prober ran and could not tell.
  not_checked: "bg-slate-400 dark:bg-slate-500",
};

/** "27 up, 3 refused": how many probes had each outcome, most frequent first. */
function tally(probes: readonly LastProbe[]): string {
  const counts = new Map<ProbeOutcome, number>();
  for (const probe of probes) counts.set(probe.outcome, (counts.get(probe.outcome) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${n} ${outcome.replace("_", " ")}`).join(", ");
}

/**
 * One tick per probe, oldest on the left, padded to `slots` so the bar keeps its width. Pointer users read each
 * tick's title; screen readers get one sentence (the tally and the latest probe) instead of every tick read out.
 */
export function HeartbeatBar({ probes, slots = 50 }: { probes: LastProbe[]; slots?: number }) {
  const shown = probes.slice(-slots);
  const latest = shown.at(-1);
  const summary = latest ? `Last ${shown.length} probes: ${tally(shown)}. Latest ${formatUtc(latest.at)}: ${describeProbe(latest)}` : "No probes yet";
  return (
    // Ticks share the width (no fixed tick width), so 50 of them fit a phone as well as a desktop.
    <div role="img" aria-label={summary} className="flex h-8 min-w-0 items-stretch gap-[2px] sm:gap-[3px]" data-testid="heartbeat-bar">
      {Array.from({ length: slots - shown.length }, (_, i) => (
        <span key={`empty-${i}`} className="min-w-0 flex-1 rounded-sm bg-slate-200 dark:bg-slate-800" />
      ))}
      {shown.map((probe, i) => (
        <span key={`${probe.at}-${i}`} title={`${formatUtc(probe.at)}: ${describeProbe(probe)}`} data-outcome={probe.outcome} className={clsx("min-w-0 flex-1 rounded-sm", TICK[probe.outcome])} />
      ))}
    </div>
  );
}
