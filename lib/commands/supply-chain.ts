// Checking the bases and the attestations now, and rebuilding what a moved base left behind: the one way, for
// the Base images page's actions and the API routes alike. A check runs once at a time per process: a second
// request while one runs gets the same result.
import type { Actor } from "@/lib/audit/audit";
import { audit } from "@/lib/audit/audit";
import { precheckBuild } from "@/lib/builds/prepare";
import { requestRebuilds, type PhaseRequestResult, type Requester } from "@/lib/builds/queue";
import { buildWorker } from "@/lib/builds/worker";
import { prisma } from "@/lib/db/client";
import { checkBuildTrigger } from "@/lib/security/rate-limit";
import { planSupplyChain, runSupplyChainCheck, type SupplyChainCheck } from "@/lib/supply-chain/plan";

// On globalThis: the instrumentation (the scheduler) and the app's routes load their own copies of this module.
const slot = globalThis as unknown as { lucidSupplyChainCheck?: Promise<SupplyChainCheck> | null };

/** Runs the check (bases by HEAD, then every latest push's attestations and signature) unless one is running. */
export function checkSupplyChainNow(): Promise<SupplyChainCheck> {
  slot.lucidSupplyChainCheck ??= runSupplyChainCheck(prisma).finally(() => {
    slot.lucidSupplyChainCheck = null;
  });
  return slot.lucidSupplyChainCheck;
}

/** The check on behalf of someone: audited with what it found. */
export async function checkSupplyChain(actor: Actor, source: Requester["source"]): Promise<SupplyChainCheck> {
  const result = await checkSupplyChainNow();
  await audit(actor, "bases.check", `${result.checked + result.skipped + result.failed.length} bases`, {
    source,
    checked: result.checked,
    skipped: result.skipped,
    moved: result.moved,
    failed: result.failed.map((f) => f.reference),
    images: result.images,
  }, prisma);
  return result;
}

/** Queues a rebuild of every image built from an older digest of one of its bases, in plan order. */
export async function rebuildStale(actor: Actor, source: Requester["source"]): Promise<PhaseRequestResult> {
  await checkBuildTrigger(prisma, actor);
  const { needRebuild } = await planSupplyChain(prisma);
  const result = await requestRebuilds(prisma, needRebuild, { source, startedBy: actor }, precheckBuild, "a base image moved");
  buildWorker().kick();
  return result;
}
