"use client";

import { memo, useMemo } from "react";
import { RelativeTime } from "@/components/ui/time";
import type { PlanOverview } from "@/lib/views/overview";
import { IMAGE_STATES, IMAGE_STATE_LABELS, type ImageState } from "@/lib/builds/status";
import { useComplianceSummary, usePlan } from "@/components/live/queries";
import type { PlanComplianceSummary } from "@/lib/compliance/types";
import { ComplianceTotals } from "@/components/compliance/compliance-totals";
import { useHealth } from "@/components/health/use-health";
import type { HealthOverview } from "@/lib/health/queries";
import Link from "next/link";
import { useCan } from "@/components/auth/viewer";
import { PhaseTable } from "@/components/plan/phase-table";
import { PhaseImages } from "@/components/plan/phase-images";
import { FiguresSection } from "@/components/plan/figures-section";
import { CARD } from "@/components/ui/card";

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: React.ReactNode; testId?: string }) {
  return (
    <div className={CARD.padded}>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>{value}</p>
      {hint ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
    </div>
  );
}

const Phase = memo(PhaseImages);

/** The overview's data-driven parts, kept current by polling /api/plan; unchanged phases keep their DOM. */
type Props = { initial: PlanOverview; initialCompliance: PlanComplianceSummary; initialHealth: HealthOverview };

export function LiveOverview({ initial, initialCompliance, initialHealth }: Props) {
  const { data: plan } = usePlan(initial);
  const { data: compliance } = useComplianceSummary(initialCompliance);
  const complianceByImage = useMemo(() => new Map(compliance.images.map((c) => [c.name, c])), [compliance]);
  const { data: health } = useHealth(initialHealth);
  const healthByImage = useMemo(() => new Map((health?.images ?? []).map((h) => [h.name, h])), [health]);
  const canSetHost = useCan("settings:write");
  const counts = Object.fromEntries(IMAGE_STATES.map((s) => [s, 0])) as Record<ImageState, number>;
  for (const image of plan.phases.flatMap((p) => p.images)) counts[image.state] += 1;
  // Pushed counts what counts as complete (any build pushed); Failed, the latest attempt, may include some of those.
  const shipped = plan.phases.flatMap((p) => p.images).filter((i) => i.shipped).length;

  return (
    <>
      <section aria-label="Overall progress" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        <Stat label="Overall" value={`${plan.totals.percent}%`} hint={`${plan.totals.completed} of ${plan.totals.required} required images`} testId="overall-percent" />
        <Stat label={IMAGE_STATE_LABELS.pushed} value={String(shipped)} hint="a build pushed (counts as complete)" testId="count-pushed" />
        <Stat label={IMAGE_STATE_LABELS.failed} value={String(counts.failed)} hint="latest build failed, cancelled or interrupted" testId="count-failed" />
        <Stat label={IMAGE_STATE_LABELS.not_built} value={String(counts.not_built)} hint="no build record" testId="count-not-built" />
        <Stat
          label="Deployed"
          value={plan.runningReportedAt ? String(plan.totals.deployed) : "—"}
          hint={plan.runningReportedAt ? <>running on the Pi, reported <RelativeTime at={plan.runningReportedAt} /></> : "the Pi has not reported what it runs"}
          testId="count-deployed"
        />
      </section>

      <section aria-labelledby="phases-title" className="space-y-3">
        <h2 id="phases-title" className="text-lg font-semibold">Phase progress</h2>
        <PhaseTable plan={plan} />
      </section>

      <FiguresSection plan={plan} />

      <section aria-labelledby="compliance-title" className="space-y-3">
        <h2 id="compliance-title" className="text-lg font-semibold">Security compliance: measured, beside the summary&apos;s claims</h2>
        <ComplianceTotals totals={compliance.totals} note={compliance.note} />
      </section>

      <section aria-labelledby="images-title" className="space-y-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="images-title" className="text-lg font-semibold">Images</h2>
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="health-target">
            {health?.enabled && health.target
              ? `Health polled on ${health.target.scheme}://${health.target.host}`
              : "Health polling is off: "}
            {health?.enabled ? null : canSetHost ? <Link href="/settings" className="text-sky-700 underline dark:text-sky-400">set the deployment host</Link> : "no deployment host is set"}
          </p>
        </div>
        {plan.phases.map((phase) => (
          <Phase key={phase.number} phase={phase} compliance={complianceByImage} health={healthByImage} />
        ))}
      </section>
    </>
  );
}
