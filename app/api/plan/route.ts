import { apiRoute } from "@/lib/api/route";
import { loadPlanOverview } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ access: "read" }, async () => Response.json(await loadPlanOverview()));
