import { loadPlanOverview } from "@/lib/plan/queries";
import { withRead } from "@/lib/auth/request";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return withRead(request, async () => Response.json(await loadPlanOverview()));
}
