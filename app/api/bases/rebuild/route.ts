import { apiRoute } from "@/lib/api/route";
import { RUN_SCOPE } from "@/lib/auth/roles";
import { rebuildStale } from "@/lib/commands/supply-chain";

export const dynamic = "force-dynamic";

/** Queues a rebuild of every image built from an older digest of one of its bases, in plan order. */
export const POST = apiRoute({ access: { role: "operator", scope: RUN_SCOPE } }, async ({ caller }) => Response.json(await rebuildStale(caller.actor, "api")));
