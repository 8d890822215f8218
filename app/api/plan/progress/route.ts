import { apiRoute } from "@/lib/api/route";
import { loadBurnUp } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/** The plan over time: images pushed at each first push, and the projected completion (lib/views/burn-up.ts). */
export const GET = apiRoute({ access: "read" }, async () => Response.json(await loadBurnUp()));
