import { loadPlanOverview } from "@/lib/plan/queries";

export const dynamic = "force-dynamic";

export async function GET() {
  return Response.json(await loadPlanOverview());
}
