import type { Metadata } from "next";
import { AutoRefresh } from "@/components/health/auto-refresh";
import { StatusBoard } from "@/components/health/status-board";
import { requireReader } from "@/lib/auth/session";
import { loadStatusPage } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Status" };

export default async function StatusPageRoute() {
  await requireReader("/status");
  const page = await loadStatusPage();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Service status</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          {page.enabled && page.target
            ? `Every deployed service, probed on ${page.target.scheme}://${page.target.host}; this page refreshes itself every 10 seconds.`
            : "Health polling is off: no deployment host is set."}
        </p>
      </div>
      <StatusBoard page={page} />
      <AutoRefresh />
    </div>
  );
}
