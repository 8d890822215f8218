import { apiRoute } from "@/lib/api/route";
import { imageNameParam } from "@/lib/api/params";
import { errorResponse } from "@/lib/http";
import { loadImageVulnerabilities } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/** The latest push's scan: counts with the fixable part, findings (critical and fixable first), changes since the push before, counts per build. */
export const GET = apiRoute({ access: "read", params: { name: imageNameParam } }, async ({ params: { name } }) => {
  const view = await loadImageVulnerabilities(name);
  return view ? Response.json(view) : errorResponse(404, `unknown image "${name}"`);
});
