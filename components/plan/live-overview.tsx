"use client";

import { memo } from "react";
import type { PlanOverview } from "@/lib/plan/overview";
import { IMAGE_STATES, IMAGE_STATE_LABELS, type ImageState } from "@/lib/builds/status";
import { usePlan } from "@/components/live/queries";
import { PhaseTable } from "@/components/plan/phase-table";
import { PhaseImages } from "@/components/plan/phase-images";
import { FiguresSection } from "@/components/plan/figures-section";

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>{value}</p>
      {hint ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
    </div>
  );
}

const Phase = memo(PhaseImages);

/** The overview's data-driven parts, kept current by polling /api/plan; unchanged phases keep their DOM. */
export function LiveOverview({ initial }: { initial: PlanOverview }) {
  const { data: plan } = usePlan(initial);
  const counts = Object.fromEntries(IMAGE_STATES.map((s) => [s, 0])) as Record<ImageState, number>;
  for (const image of plan.phases.flatMap((p) => p.images)) counts[image.state] += 1;

  return (
    <>
      <section aria-label="Overall progress" className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Overall" value={`${plan.totals.percent}%`} hint={`${plan.totals.completed} of ${plan.totals.required} required images`} testId="overall-percent" />
        <Stat label={IMAGE_STATE_LABELS.pushed} value={String(counts.pushed)} hint="latest build pushed" testId="count-pushed" />
        <Stat label={IMAGE_STATE_LABELS.failed} value={String(counts.failed)} hint="latest build failed, cancelled or interrupted" testId="count-failed" />
        <Stat label={IMAGE_STATE_LABELS.not_built} value={String(counts.not_built)} hint="no build record" testId="count-not-built" />
      </section>

      <section aria-labelledby="phases-title" className="space-y-3">
        <h2 id="phases-title" className="text-lg font-semibold">Phase progress</h2>
        <PhaseTable plan={plan} />
      </section>

      <FiguresSection plan={plan} />

      <section aria-labelledby="images-title" className="space-y-6">
        <h2 id="images-title" className="text-lg font-semibold">Images</h2>
        {plan.phases.map((phase) => (
          <Phase key={phase.number} phase={phase} />
        ))}
      </section>
    </>
  );
}
