"use client";

import { memo, useCallback, useMemo, useState } from "react";
import { useSearchParams } from "next/navigation";
import { RelativeTime } from "@/components/ui/time";
import { OverviewFilters } from "@/components/plan/overview-filters";
import { matchesFilter, overviewHref, parseOverviewFilter, type OverviewFilter, type StatusFilter } from "@/lib/views/overview-filter";
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
import { BurnUpSection } from "@/components/plan/burn-up-section";
import type { BurnUp } from "@/lib/views/burn-up";
import { CARD } from "@/components/ui/card";

type StatProps = { label: string; value: string; hint?: React.ReactNode; testId?: string; filter?: StatusFilter; active?: boolean; onFilter?: (status: StatusFilter) => void };

/** A figure at a glance; with `filter`, a link to the images behind it (filtered in place; a new tab loads it). */
function Stat({ label, value, hint, testId, filter, active, onFilter }: StatProps) {
  const body = (
    <>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>{value}</p>
      {hint ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
    </>
  );
  if (!filter) return <div className={CARD.padded}>{body}</div>;
  return (
    <Link
      href={overviewHref({ status: filter, phase: null, q: "" }, "#images")}
      scroll={false}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || !onFilter) return;
        event.preventDefault();
        onFilter(filter);
        document.getElementById("images")?.scrollIntoView({ behavior: "smooth" });
      }}
      aria-current={active ? "true" : undefined}
      className={`${CARD.padded} block transition hover:border-sky-400 hover:shadow focus-visible:border-sky-500 ${active ? "ring-2 ring-sky-500" : ""}`}
      data-stat={filter}
    >
      {body}
    </Link>
  );
}

const Phase = memo(PhaseImages);

/** The overview's data-driven parts, kept current by polling /api/plan; unchanged phases keep their DOM. */
type Props = { initial: PlanOverview; initialCompliance: PlanComplianceSummary; initialHealth: HealthOverview; initialBurnUp: BurnUp };

export function LiveOverview({ initial, initialCompliance, initialHealth, initialBurnUp }: Props) {
  const { data: plan } = usePlan(initial);
  const { data: compliance } = useComplianceSummary(initialCompliance);
  const complianceByImage = useMemo(() => new Map(compliance.images.map((c) => [c.name, c])), [compliance]);
  const { data: health } = useHealth(initialHealth);
  const healthByImage = useMemo(() => new Map((health?.images ?? []).map((h) => [h.name, h])), [health]);
  const canSetHost = useCan("settings:write");
  // Read from the address once; from then on the state leads and the address follows (replaceState, no round trip),
  // so fast typing is never overwritten by the address catching up.
  const params = useSearchParams();
  const [filter, setFilterState] = useState(() => parseOverviewFilter(params));
  const setFilter = useCallback((next: OverviewFilter) => {
    setFilterState(next);
    window.history.replaceState(null, "", overviewHref(next, window.location.hash));
  }, []);
  const filterStatus = useCallback((status: StatusFilter) => setFilter({ status, phase: null, q: "" }), [setFilter]);
  const shownPhases = useMemo(
    () => plan.phases.map((phase) => ({ phase, images: phase.images.filter((i) => matchesFilter(i, phase.number, filter)) })).filter((p) => p.images.length > 0),
    [plan, filter],
  );
  const shownCount = shownPhases.reduce((n, p) => n + p.images.length, 0);
  const counts = Object.fromEntries(IMAGE_STATES.map((s) => [s, 0])) as Record<ImageState, number>;
  for (const image of plan.phases.flatMap((p) => p.images)) counts[image.state] += 1;
  // Pushed counts what counts as complete (any build pushed); Failed, the latest attempt, may include some of those.
  const shipped = plan.phases.flatMap((p) => p.images).filter((i) => i.shipped).length;

  return (
    <>
      <section aria-label="Overall progress" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="Overall" value={`${plan.totals.percent}%`} hint={`${plan.totals.completed} of ${plan.totals.required} required images`} testId="overall-percent" />
        <Stat label={IMAGE_STATE_LABELS.pushed} value={String(shipped)} hint="a build pushed (counts as complete)" testId="count-pushed" filter="pushed" active={filter.status === "pushed"} onFilter={filterStatus} />
        <Stat label="Building" value={String(counts.building + counts.queued)} hint="running or queued now" testId="count-building" filter="building" active={filter.status === "building"} onFilter={filterStatus} />
        <Stat label={IMAGE_STATE_LABELS.failed} value={String(counts.failed)} hint="latest build failed, cancelled or interrupted" testId="count-failed" filter="failed" active={filter.status === "failed"} onFilter={filterStatus} />
        <Stat label={IMAGE_STATE_LABELS.not_built} value={String(counts.not_built)} hint="no build record" testId="count-not-built" filter="not_built" active={filter.status === "not_built"} onFilter={filterStatus} />
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

      <BurnUpSection initial={initialBurnUp} />

      <FiguresSection plan={plan} />

      <section aria-labelledby="compliance-title" className="space-y-3">
        <h2 id="compliance-title" className="text-lg font-semibold">Security compliance: measured, beside the summary&apos;s claims</h2>
        <ComplianceTotals totals={compliance.totals} note={compliance.note} />
      </section>

      <section id="images" aria-labelledby="images-title" className="scroll-mt-20 space-y-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="images-title" className="text-lg font-semibold">Images</h2>
          <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="health-target">
            {health?.enabled && health.target
              ? `Health polled on ${health.target.scheme}://${health.target.host}`
              : "Health polling is off: "}
            {health?.enabled ? null : canSetHost ? <Link href="/settings" className="text-sky-700 underline dark:text-sky-400">set the deployment host</Link> : "no deployment host is set"}
          </p>
        </div>
        <OverviewFilters filter={filter} onChange={setFilter} phases={plan.phases} shown={shownCount} total={plan.totals.images} />
        {shownPhases.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300" data-testid="no-match">
            No image matches these filters.
          </p>
        ) : null}
        {shownPhases.map(({ phase, images }) => (
          <Phase key={phase.number} phase={phase} images={images} compliance={complianceByImage} health={healthByImage} />
        ))}
      </section>
    </>
  );
}
