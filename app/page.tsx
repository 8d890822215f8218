import Link from "next/link";
import { loadLatestPlanImport, loadPlanOverview } from "@/lib/plan/queries";
import { PhaseTable } from "@/components/plan/phase-table";
import { PhaseImages } from "@/components/plan/phase-images";
import { IMAGE_STATES, IMAGE_STATE_LABELS, type ImageState } from "@/lib/builds/status";

export const dynamic = "force-dynamic";

function Stat({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>{value}</p>
      {hint ? <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
    </div>
  );
}

export default async function OverviewPage() {
  const [plan, lastImport] = await Promise.all([loadPlanOverview(), loadLatestPlanImport()]);

  if (plan.phases.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
        <h1 className="text-xl font-semibold">No build plan yet</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">Import a build-commands document to start tracking images.</p>
        <Link href="/plan/import" className="mt-4 inline-block rounded-md bg-sky-600 px-4 py-2 text-sm font-medium text-white hover:bg-sky-700">
          Import a plan
        </Link>
      </div>
    );
  }

  const counts = Object.fromEntries(IMAGE_STATES.map((s) => [s, 0])) as Record<ImageState, number>;
  for (const image of plan.phases.flatMap((p) => p.images)) counts[image.state] += 1;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Lucid build plan</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            {plan.totals.images} images in {plan.phases.length} phases, built for linux/arm64 and linux/amd64. Progress counts
            images whose latest build record says pushed.
          </p>
        </div>
        {lastImport ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Plan source: {lastImport.source} · imported {lastImport.importedAt.toISOString().slice(0, 16).replace("T", " ")} UTC
          </p>
        ) : null}
      </div>

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

      <section aria-labelledby="images-title" className="space-y-6">
        <h2 id="images-title" className="text-lg font-semibold">Images</h2>
        {plan.phases.map((phase) => (
          <PhaseImages key={phase.number} phase={phase} />
        ))}
      </section>
    </div>
  );
}
