import { apiRoute } from "@/lib/api/route";
import { loadDeploymentView } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/**
 * The deployment as declared by the configured Compose files: each service with the plan image it runs, its
 * published ports and where its health is read; services running no plan image; plan images no service runs;
 * host ports published twice. Unreadable files: `readable: false` with every problem's file, line and excerpt.
 */
export const GET = apiRoute({ access: "read" }, async () => Response.json(await loadDeploymentView()));
