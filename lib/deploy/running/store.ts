// Keeping what the Pi runs: each report replaces the snapshot as a whole, in one transaction.
import { audit, type Actor } from "@/lib/audit/audit";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ReportedContainer } from "@/lib/deploy/running/report";

const fingerprint = (c: { service: string; imageId: string | null; state: string; health: string | null }) => `${c.service}|${c.imageId}|${c.state}|${c.health}`;

/**
 * Replaces the snapshot with `containers`. Audited only when what runs changed (a service, image, state or
 * health), so a cron job reporting every minute does not fill the audit log. Returns whether it changed.
 */
export async function storeRunning(db: PrismaClient, containers: ReportedContainer[], actor: Actor, source: "report" | "engine" = "report", now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const before = await tx.runningContainer.findMany({ select: { service: true, imageId: true, state: true, health: true } });
    const changed = before.map(fingerprint).sort().join("\n") !== containers.map(fingerprint).sort().join("\n");
    await tx.runningContainer.deleteMany({});
    await tx.runningContainer.createMany({ data: containers.map((c) => ({ ...c, repoDigests: c.repoDigests, source, observedAt: now })) });
    if (changed) {
      await audit(actor, "deployment.report", null, { containers: containers.length, running: containers.filter((c) => c.state === "running").length }, tx);
    }
    return changed;
  });
}
