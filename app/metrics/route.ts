import { authorizeMetrics } from "@/lib/auth/request";
import { prisma } from "@/lib/db/client";
import { withJsonErrors } from "@/lib/http";
import { metricsText } from "@/lib/views/metrics";
import { loadPlanComplianceSummary, loadPlanOverview } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/** Prometheus text format: builds, the queue, build durations, probe outcomes and latency, images per phase. */
export const GET = withJsonErrors(async (request: Request) => {
  const authorized = await authorizeMetrics(request);
  if (!authorized.ok) return authorized.response;
  const { text, contentType } = await metricsText(prisma, await loadPlanOverview(), await loadPlanComplianceSummary());
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
});
