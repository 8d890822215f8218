import { prisma } from "@/lib/db/client";
import { errorResponse, idParam, withJsonErrors } from "@/lib/http";
import { liveLog } from "@/lib/builds/log-hub";
import { LogFileError, readLog, type LogLine } from "@/lib/builds/log";
import { authorizeRead } from "@/lib/auth/request";

export const dynamic = "force-dynamic";

const WAIT_FOR_START_MS = 500;
const MAX_WAIT_MS = 60 * 60_000;

/**
 * The build log as server-sent events: `line` events ({ n, text }), `notice` events (the log is incomplete: the
 * disk filled up, or the file is larger than a log may be), `problem` when the file cannot be read, and one
 * `end` event. A running build's log is replayed from its file and then followed live; a finished one is sent
 * whole.
 */
async function get(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const authorized = await authorizeRead(request);
  if (!authorized.ok) return authorized.response;
  const raw = (await params).id;
  const id = idParam(raw);
  if (id === null) return errorResponse(400, `"${raw.slice(0, 40)}" is not a build id`);
  if (!(await prisma.build.findUnique({ where: { id }, select: { id: true } }))) return errorResponse(404, `unknown build ${id}`);

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let sent = 0;
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
      };
      const sendLine = (line: LogLine) => {
        if (line.n <= sent) return;
        sent = line.n;
        send("line", line);
      };
      const finish = (status: string | null) => {
        send("end", { status });
        closed = true;
        cleanup();
        controller.close();
      };
      request.signal.addEventListener("abort", () => {
        closed = true;
        cleanup();
      });

      const started = Date.now();
      while (!closed) {
        const build = await prisma.build.findUnique({ where: { id }, select: { status: true, logPath: true, logIncomplete: true } });
        if (!build) return finish(null);
        const live = liveLog(id);
        if (live) {
          // Subscribe before reading the file, so no line falls between the two; duplicates are skipped by number.
          const buffered: LogLine[] = [];
          let replaying = true;
          let endedWhileReplaying = false;
          const unsubscribe = live.subscribe({
            line: (line) => (replaying ? buffered.push(line) : sendLine(line)),
            // The build may end while the file is being read: the stored and buffered lines go out first.
            end: () => (replaying ? (endedWhileReplaying = true) : finish(build.status)),
          });
          cleanup = unsubscribe;
          try {
            const stored = await readLog(live.file, { maxBytes: live.maxBytes });
            stored.lines.forEach(sendLine);
          } catch (error) {
            // The file went (or could not be written at all): the live lines still come.
            if (!(error instanceof LogFileError)) throw error;
            send("notice", error.message);
          }
          buffered.forEach(sendLine);
          replaying = false;
          if (endedWhileReplaying) finish(build.status);
          return;
        }
        if (build.status !== "queued" && build.status !== "running") {
          if (build.logPath) {
            try {
              const stored = await readLog(build.logPath);
              stored.lines.forEach(sendLine);
              if (stored.problem) send("notice", stored.problem);
            } catch (error) {
              if (!(error instanceof LogFileError)) throw error;
              send("problem", error.message);
            }
          }
          if (build.logIncomplete) send("notice", build.logIncomplete);
          return finish(build.status);
        }
        if (Date.now() - started > MAX_WAIT_MS) return finish(build.status);
        await new Promise((resolve) => setTimeout(resolve, WAIT_FOR_START_MS));
      }
    },
    cancel() {
      cleanup();
    },
  });

  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", "X-Accel-Buffering": "no" },
  });
}

export const GET = withJsonErrors(get);
