import Link from "next/link";
import { RelativeTime } from "@/components/ui/time";
import { loadBurnUp, loadHealthOverview, loadLatestPlanImport, loadPlanComplianceSummary, loadPlanOverview, loadPlanSupplyChain } from "@/lib/views/queries";
import { LiveOverview } from "@/components/plan/live-overview";
import { requireReader } from "@/lib/auth/session";
import { can } from "@/lib/auth/roles";
import { BUTTON } from "@/components/ui/button";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const user = await requireReader();
  const [plan, lastImport, compliance, health, burnUp, supplyChain] = await Promise.all([
    loadPlanOverview(),
    loadLatestPlanImport(),
    loadPlanComplianceSummary(),
    loadHealthOverview(),
    loadBurnUp(),
    loadPlanSupplyChain(),
  ]);
  const needRebuild = supplyChain.needRebuild.length;

  if (plan.phases.length === 0) {
    return (
      <div className="rounded-xl border border-dashed border-slate-300 p-10 text-center dark:border-slate-700">
        <h1 className="text-xl font-semibold">No build plan yet</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-300">
          {can(user?.role, "plan:import") ? "Import a build-commands document to start tracking images." : "An admin has to import a build-commands document first."}
        </p>
        {can(user?.role, "plan:import") ? (
          <Link href="/plan/import" className={`${BUTTON.primary} mt-4`}>
            Import a plan
          </Link>
        ) : null}
      </div>
    );
  }

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Lucid build plan</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            {plan.totals.images} images in {plan.phases.length} phases, built for linux/arm64 and linux/amd64. Progress counts
            images with a pushed build: a rebuild that is running or failed does not take one out.
          </p>
        </div>
        {lastImport ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            Plan source: {lastImport.source} · imported <RelativeTime at={lastImport.importedAt} />
          </p>
        ) : null}
      </div>

      {needRebuild > 0 ? (
        <p className="rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-500/10 dark:text-amber-200" data-testid="rebuild-notice">
          <Link href="/bases" className="font-semibold underline">
            {needRebuild} image{needRebuild === 1 ? " needs" : "s need"} a rebuild
          </Link>
          : built from an older digest of a base that has moved since ({supplyChain.needRebuild.slice(0, 4).join(", ")}
          {needRebuild > 4 ? ", …" : ""}).
        </p>
      ) : null}

      <LiveOverview initial={plan} initialCompliance={compliance} initialHealth={health} initialBurnUp={burnUp} />
    </div>
  );
}
