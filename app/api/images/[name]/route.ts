import { loadImageDetail } from "@/lib/plan/queries";
import { pageParam } from "@/lib/builds/history";
import { withRead } from "@/lib/auth/request";
import { withJsonErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

async function get(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return withRead(request, async () => {
    const { name } = await params;
    const detail = await loadImageDetail(name, pageParam(new URL(request.url).searchParams.get("page")));
    if (!detail) return Response.json({ error: `unknown image "${name}"` }, { status: 404 });
    return Response.json(detail);
  });
}

export const GET = withJsonErrors(get);
