import { apiRoute } from "@/lib/api/route";
import { loadBasesView } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/** Every base the plan builds FROM: its digest now, when checked and when it moved, and the images built from an older one. */
export const GET = apiRoute({ access: "read" }, async () => Response.json(await loadBasesView()));
