import { apiRoute } from "@/lib/api/route";
import { imageNameParam } from "@/lib/api/params";
import { pageParam } from "@/lib/builds/history";
import { errorResponse } from "@/lib/http";
import { loadImageDetail } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ access: "read", params: { name: imageNameParam } }, async ({ request, params: { name } }) => {
  const detail = await loadImageDetail(name, pageParam(new URL(request.url).searchParams.get("page")));
  return detail ? Response.json(detail) : errorResponse(404, `unknown image "${name}"`);
});
