import { prisma } from "@/lib/db/client";
import { errorResponse, idParam, withJsonErrors } from "@/lib/http";
import { withRunAccess } from "@/lib/builds/api";
import { requestCancel } from "@/lib/builds/queue";
import { buildWorker } from "@/lib/builds/worker";

export const dynamic = "force-dynamic";

/** Cancel a queued build at once, or ask the runner to stop a running one (its status follows). */
async function post(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const raw = (await params).id;
  const id = idParam(raw);
  if (id === null) return errorResponse(400, `"${raw.slice(0, 40)}" is not a build id`);
  return withRunAccess(request, { trigger: false }, async (by) => {
    const result = await requestCancel(prisma, id, by);
    buildWorker().poll();
    return Response.json(result, { status: 202 });
  });
}

export const POST = withJsonErrors(post);
