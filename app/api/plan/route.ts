import { loadPlanOverview } from "@/lib/plan/queries";
import { withRead } from "@/lib/auth/request";
import { withJsonErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

async function get(request: Request) {
  return withRead(request, async () => Response.json(await loadPlanOverview()));
}

export const GET = withJsonErrors(get);
