import { apiRoute } from "@/lib/api/route";
import { loadHealthOverview } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/** `{ enabled, target, images }`: every image's health state, last probe and 24 h uptime. */
export const GET = apiRoute({ access: "read" }, async () => Response.json(await loadHealthOverview()));
