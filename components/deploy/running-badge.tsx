import clsx from "clsx";
import type { Drift } from "@/lib/deploy/running/drift";
import { describeDrift } from "@/components/deploy/drift";
import { PILL, TONES } from "@/components/ui/tone";

/** A reported container at a glance: exited (or other non-running state) in red, else how far it is from the latest push. */
export function RunningBadge({ state, drift }: { state: string; drift: Drift | null }) {
  if (state !== "running") {
    return <span className={clsx(PILL, TONES.red.pill)} data-running={state}>{state}</span>;
  }
  const { text, tone } = describeDrift(drift);
  return (
    <span className={clsx(PILL, TONES[tone].pill, "whitespace-normal")} data-running="running" data-drift={drift?.status ?? "none"}>
      <span aria-hidden className={clsx("size-1.5 shrink-0 rounded-full", TONES[tone].dot)} />
      {text}
    </span>
  );
}
