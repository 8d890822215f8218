import { prisma } from "@/lib/db/client";
import { errorResponse, withJsonErrors } from "@/lib/http";
import { withRunAccess } from "@/lib/builds/api";
import { requestPhaseBuilds } from "@/lib/builds/queue";
import { precheckBuild } from "@/lib/builds/prepare";
import { buildWorker } from "@/lib/builds/worker";

export const dynamic = "force-dynamic";

/** Queue every image of a phase that is not pushed and not already queued or building. */
async function post(request: Request, { params }: { params: Promise<{ number: string }> }) {
  const raw = (await params).number;
  if (!/^[1-9][0-9]?$/.test(raw)) return errorResponse(400, `"${raw.slice(0, 40)}" is not a phase number`);
  return withRunAccess(request, { trigger: true }, async (startedBy) => {
    const result = await requestPhaseBuilds(prisma, Number(raw), { source: "api", startedBy }, precheckBuild);
    buildWorker().kick();
    return Response.json(result, { status: 200 });
  });
}

export const POST = withJsonErrors(post);
