"use client";

import dynamic from "next/dynamic";
import type { BurnUp } from "@/lib/views/burn-up";
import { useBurnUp } from "@/components/live/queries";
import { useNow } from "@/components/ui/use-now";
import { CARD } from "@/components/ui/card";
import { formatDuration, formatUtc } from "@/lib/format";

function ChartSkeleton() {
  return <div className="h-60 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-hidden />;
}
const BurnUpChart = dynamic(() => import("@/components/charts/burn-up-chart").then((m) => m.BurnUpChart), { ssr: false, loading: ChartSkeleton });

/** What the chart shows, in words: the figures, the projection and what it rests on, or why there is none. */
function Summary({ burnUp }: { burnUp: BurnUp }) {
  const { projection } = burnUp;
  return (
    <div className="space-y-1 text-sm" data-testid="burn-up-summary">
      <p>
        <span className="font-semibold tabular-nums">{burnUp.pushed} of {burnUp.required}</span> images pushed
        {burnUp.deployedNow !== null ? <>, <span className="tabular-nums">{burnUp.deployedNow}</span> running on the Pi</> : ", deployment not reported"}.
        {burnUp.undated > 0 ? ` ${burnUp.undated} of the pushes have no recorded time (imported from the build summary) and are counted from the start.` : ""}
      </p>
      {projection.ok ? (
        <p data-testid="projection">
          Projected: every image pushed by <span className="font-semibold">{formatUtc(projection.at, "minute")}</span>, at the last 14 days&apos; pace of{" "}
          {projection.perDay} image{projection.perDay === 1 ? "" : "s"} a day; the remaining builds take {formatDuration(projection.expectedBuildMs)} end to end
          {projection.estimated > 0 ? ` (${projection.estimated} estimated from the median of the others)` : ""}.
        </p>
      ) : (
        <p className="text-slate-600 dark:text-slate-300" data-testid="projection">No projection: {projection.reason}.</p>
      )}
    </div>
  );
}

export function BurnUpSection({ initial }: { initial: BurnUp }) {
  const { data: burnUp } = useBurnUp(initial);
  const now = useNow(60_000);
  return (
    <section aria-labelledby="burn-up-title" className="space-y-3">
      <h2 id="burn-up-title" className="text-lg font-semibold">Progress over time</h2>
      <figure className={`${CARD.padded} space-y-3`}>
        <figcaption><Summary burnUp={burnUp} /></figcaption>
        <div aria-hidden>
          {burnUp.points.length > 0 || burnUp.pushed > 0 ? <BurnUpChart burnUp={burnUp} now={now} /> : <p className="py-10 text-center text-sm text-slate-600 dark:text-slate-300">No image has been pushed yet.</p>}
        </div>
      </figure>
    </section>
  );
}
