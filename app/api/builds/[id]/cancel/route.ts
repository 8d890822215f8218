import { apiRoute } from "@/lib/api/route";
import { buildIdParam } from "@/lib/api/params";
import { RUN_SCOPE } from "@/lib/auth/roles";
import { cancelBuild } from "@/lib/commands/builds";

export const dynamic = "force-dynamic";

/** Cancel a queued build at once, or ask the runner to stop a running one (its status follows). */
export const POST = apiRoute({ access: { role: "operator", scope: RUN_SCOPE }, params: { id: buildIdParam } }, async ({ caller, params: { id } }) =>
  Response.json(await cancelBuild(caller.actor, id), { status: 202 }),
);
