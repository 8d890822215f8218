import { prisma } from "@/lib/db/client";
import { errorResponse, idParam, withJsonErrors } from "@/lib/http";
import { liveLog } from "@/lib/builds/log-hub";
import { followBuildLog } from "@/lib/builds/log-follow";
import { instance } from "@/lib/server/instance";
import { authorizeRead } from "@/lib/auth/request";

export const dynamic = "force-dynamic";

/** The build log as server-sent events (lib/builds/log-follow.ts says which and from where). */
async function get(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const authorized = await authorizeRead(request);
  if (!authorized.ok) return authorized.response;
  const raw = (await params).id;
  const id = idParam(raw);
  if (id === null) return errorResponse(400, `"${raw.slice(0, 40)}" is not a build id`);
  if (!(await prisma.build.findUnique({ where: { id }, select: { id: true } }))) return errorResponse(404, `unknown build ${id}`);

  const encoder = new TextEncoder();
  const reader = new AbortController();
  request.signal.addEventListener("abort", () => reader.abort());
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        await followBuildLog(
          prisma,
          id,
          ({ event, data }) => {
            if (!reader.signal.aborted) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
          },
          { signal: reader.signal, live: liveLog, here: instance().id },
        );
        if (!reader.signal.aborted) controller.close();
      } catch (error) {
        if (!reader.signal.aborted) controller.error(error);
      }
    },
    cancel() {
      reader.abort();
    },
  });

  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" },
  });
}

export const GET = withJsonErrors(get);
