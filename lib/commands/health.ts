// Changing what is probed, and probing now: one place for the dashboard's server actions (and any future API).
import { audit, type Actor } from "@/lib/audit/audit";
import { prisma } from "@/lib/db/client";
import { applyDeployTarget, healthPoller, type CheckResult } from "@/lib/health/poller";
import type { DeployTarget } from "@/lib/health/settings";
import { storeHealthTarget, type HealthTargetInput } from "@/lib/health/targets";

/** Sets (or with null clears) the deployment host; true when it changed. The poller picks it up at once. */
export async function setDeployTarget(actor: Actor, target: DeployTarget | null): Promise<boolean> {
  const changed = await applyDeployTarget(prisma, target, actor);
  if (changed) healthPoller().kick();
  return changed;
}

/** Stores an image's port, path and expectation; audited with the change. */
export async function setHealthTarget(actor: Actor, input: HealthTargetInput): Promise<"unknown_image" | "unchanged" | "changed"> {
  const result = await storeHealthTarget(prisma, input, actor);
  if (result === "changed") healthPoller().kick();
  return result;
}

/** Probes one image now, records the sample as a sweep would, and audits the check. */
export async function checkNow(actor: Actor, image: string): Promise<CheckResult> {
  const check = await healthPoller().checkNow(image);
  if (check.ok) {
    await audit(actor, "health.check", `image ${image}`, { url: check.url, outcome: check.result.outcome, httpStatus: check.result.httpStatus }, prisma);
  }
  return check;
}
