import { prisma } from "@/lib/db/client";
import { errorResponse, IMAGE_NAME_PATTERN, withJsonErrors } from "@/lib/http";
import { withRunAccess } from "@/lib/builds/api";
import { requestBuild } from "@/lib/builds/queue";
import { precheckBuild } from "@/lib/builds/prepare";
import { buildWorker } from "@/lib/builds/worker";

export const dynamic = "force-dynamic";

/** Queue a build of one image. 201 with the new build, or 200 with the one already queued or running. */
async function post(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  if (!IMAGE_NAME_PATTERN.test(name)) return errorResponse(400, `"${name.slice(0, 80)}" is not a valid image name`);
  return withRunAccess(request, { trigger: true }, async (startedBy) => {
    const result = await requestBuild(prisma, name, { source: "api", startedBy }, precheckBuild);
    buildWorker().kick();
    const url = `/api/builds/${result.id}`;
    return Response.json({ ...result, url }, { status: result.created ? 201 : 200, headers: { Location: url } });
  });
}

export const POST = withJsonErrors(post);
