import { loadBuild } from "@/lib/plan/queries";
import { errorResponse, idParam, withJsonErrors } from "@/lib/http";
import { withRead } from "@/lib/auth/request";

export const dynamic = "force-dynamic";

async function get(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withRead(request, async () => {
    const raw = (await params).id;
    const id = idParam(raw);
    if (id === null) return errorResponse(400, `"${raw.slice(0, 40)}" is not a build id`);
    const build = await loadBuild(id);
    return build ? Response.json(build) : errorResponse(404, `unknown build ${id}`);
  });
}

export const GET = withJsonErrors(get);
