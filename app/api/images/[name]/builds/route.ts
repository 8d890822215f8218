import { apiRoute } from "@/lib/api/route";
import { imageNameParam } from "@/lib/api/params";
import { RUN_SCOPE } from "@/lib/auth/roles";
import { triggerBuild } from "@/lib/commands/builds";

export const dynamic = "force-dynamic";

/** Queue a build of one image. 201 with the new build, or 200 with the one already queued or running. */
export const POST = apiRoute({ access: { role: "operator", scope: RUN_SCOPE }, params: { name: imageNameParam } }, async ({ caller, params: { name } }) => {
  const result = await triggerBuild(caller.actor, name, "api");
  const url = `/api/builds/${result.id}`;
  return Response.json({ ...result, url }, { status: result.created ? 201 : 200, headers: { Location: url } });
});
