import { apiRoute } from "@/lib/api/route";
import { phaseNumberParam } from "@/lib/api/params";
import { RUN_SCOPE } from "@/lib/auth/roles";
import { triggerPhase } from "@/lib/commands/builds";

export const dynamic = "force-dynamic";

/** Queue every image of a phase that is not pushed and not already queued or building. */
export const POST = apiRoute({ access: { role: "operator", scope: RUN_SCOPE }, params: { number: phaseNumberParam } }, async ({ caller, params }) =>
  Response.json(await triggerPhase(caller.actor, params.number, "api"), { status: 200 }),
);
