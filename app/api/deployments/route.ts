import { apiRoute } from "@/lib/api/route";
import { DEPLOYMENT_REPORT_SCOPE } from "@/lib/auth/roles";
import { prisma } from "@/lib/db/client";
import { MAX_REPORT_BYTES, parseReport, ReportError } from "@/lib/deploy/running/report";
import { storeRunning } from "@/lib/deploy/running/store";
import { errorResponse } from "@/lib/http";
import { loadDeploymentView } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/**
 * The deployment as declared by the configured Compose files (each service with the plan image it runs, its
 * published ports and where its health is read; unreadable files: `readable: false` with every problem), and
 * `running`: what the Pi last reported, each container matched to its plan image and pushed build (drift).
 */
export const GET = apiRoute({ access: "read" }, async () => Response.json(await loadDeploymentView()));

/**
 * What the Pi runs now (README, "What the Pi runs"): the output of `docker compose ps --all --format json`,
 * `docker compose images --format json` and `docker image inspect`, one after another. Replaces the last report.
 */
export const POST = apiRoute({ access: { role: "admin", scope: DEPLOYMENT_REPORT_SCOPE }, maxBodyBytes: MAX_REPORT_BYTES }, async ({ caller, body }) => {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body ?? new Uint8Array());
  } catch {
    return errorResponse(400, "the report is not valid UTF-8");
  }
  let containers;
  try {
    containers = parseReport(text);
  } catch (error) {
    if (error instanceof ReportError) return errorResponse(400, `malformed report: ${error.message}`);
    throw error;
  }
  const changed = await storeRunning(prisma, containers, caller.actor);
  return Response.json({ containers: containers.length, running: containers.filter((c) => c.state === "running").length, changed }, { status: 201 });
});
