import { apiRoute } from "@/lib/api/route";
import { buildIdParam } from "@/lib/api/params";
import { errorResponse } from "@/lib/http";
import { loadBuild } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ access: "read", params: { id: buildIdParam } }, async ({ params: { id } }) => {
  const build = await loadBuild(id);
  return build ? Response.json(build) : errorResponse(404, `unknown build ${id}`);
});
