import { shortDigest } from "@/lib/registry/reference";
import type { Drift } from "@/lib/deploy/running/drift";
import { formatDuration } from "@/lib/format";

const DAY_MS = 86_400_000;
const age = (ms: number) => (ms >= DAY_MS ? `${Math.round(ms / DAY_MS)} day${Math.round(ms / DAY_MS) === 1 ? "" : "s"}` : formatDuration(ms));
import type { Tone } from "@/components/ui/tone";

/** How far a running image is from the latest push, in words, with the tone it is shown in. */
export function describeDrift(drift: Drift | null): { text: string; tone: Tone } {
  if (!drift) return { text: "not an image of the plan", tone: "slate" };
  switch (drift.status) {
    case "up_to_date":
      return { text: `up to date: build #${drift.runningBuild}`, tone: "green" };
    case "behind": {
      const behind = drift.behindMs !== null && drift.behindMs > 0 ? ` (${age(drift.behindMs)})` : "";
      return { text: `running build #${drift.runningBuild}, ${drift.buildsBehind} push${drift.buildsBehind === 1 ? "" : "es"} behind #${drift.latestBuild}${behind}`, tone: "amber" };
    }
    case "unknown_image":
      return { text: `an image no pushed build has${drift.digest ? ` (${shortDigest(drift.digest)}…)` : " (no digest reported)"}; latest push is #${drift.latestBuild}`, tone: "red" };
    case "not_pushed":
      return { text: "no pushed build to compare with", tone: "slate" };
  }
}
