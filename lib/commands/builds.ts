// Starting and stopping builds: the one way, for the dashboard's server actions and the API routes alike.
// Each trigger counts against the caller's limit, is checked before anything is queued (a build that could not
// start is refused), is queued and audited in one transaction (lib/builds/queue.ts), and wakes the worker.
import type { Actor } from "@/lib/audit/audit";
import { prisma } from "@/lib/db/client";
import { precheckBuild } from "@/lib/builds/prepare";
import { requestBuild, requestCancel, requestPhaseBuilds, type CancelResult, type PhaseRequestResult, type RequestResult, type Requester } from "@/lib/builds/queue";
import { buildWorker } from "@/lib/builds/worker";
import { checkBuildTrigger } from "@/lib/security/rate-limit";

type Source = Requester["source"];

/** Queues a build of one image, or returns the one already queued or running. Throws BuildRequestError or RateLimitedError. */
export async function triggerBuild(actor: Actor, image: string, source: Source): Promise<RequestResult> {
  await checkBuildTrigger(prisma, actor);
  const result = await requestBuild(prisma, image, { source, startedBy: actor }, precheckBuild);
  buildWorker().kick();
  return result;
}

/** Queues every image of a phase that is not pushed and not already queued or building. */
export async function triggerPhase(actor: Actor, phase: number, source: Source): Promise<PhaseRequestResult> {
  await checkBuildTrigger(prisma, actor);
  const result = await requestPhaseBuilds(prisma, phase, { source, startedBy: actor }, precheckBuild);
  buildWorker().kick();
  return result;
}

/** Cancels a queued build at once, or asks the runner to stop a running one. Not a trigger: never rate limited. */
export async function cancelBuild(actor: Actor, id: number): Promise<CancelResult> {
  const result = await requestCancel(prisma, id, actor);
  buildWorker().poll();
  return result;
}
