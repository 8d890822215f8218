// Keeping what the Pi runs: each report replaces the snapshot as a whole, in one transaction.
import { audit, type Actor } from "@/lib/audit/audit";
import { takeWriteLock } from "@/lib/db/write-lock";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ReportedContainer } from "@/lib/deploy/running/report";

type Compared = { service: string; containerName: string; image: string; imageId: string | null; repoDigests: unknown; state: string; health: string | null };

/** What a report says that matters: which container runs which image (by every digest), in which state. */
const fingerprint = (c: Compared) => JSON.stringify([c.service, c.containerName, c.image, c.imageId, c.repoDigests, c.state, c.health]);

/**
 * An unchanged report is written again at most this often (to say it is still so). Every write invalidates the
 * page and session caches (lib/db/changes.ts), which a cron job reporting each minute would otherwise defeat.
 */
export const CONFIRM_EVERY_MS = 5 * 60_000;

/**
 * Replaces the snapshot with `containers`. Audited only when what runs changed (a service, image, state or
 * health), so a cron job reporting every minute does not fill the audit log. Returns whether it changed.
 */
export async function storeRunning(db: PrismaClient, containers: ReportedContainer[], actor: Actor, source: "report" | "engine" = "report", now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const before = await tx.runningContainer.findMany({
      select: { service: true, containerName: true, image: true, imageId: true, repoDigests: true, state: true, health: true, observedAt: true },
    });
    const changed = before.map(fingerprint).sort().join("\n") !== containers.map(fingerprint).sort().join("\n");
    if (!changed && before.length > 0 && now.getTime() - before[0]!.observedAt.getTime() < CONFIRM_EVERY_MS) return false;
    await tx.runningContainer.deleteMany({});
    await tx.runningContainer.createMany({ data: containers.map((c) => ({ ...c, repoDigests: c.repoDigests, source, observedAt: now })) });
    if (changed) {
      await audit(actor, "deployment.report", null, { containers: containers.length, running: containers.filter((c) => c.state === "running").length }, tx);
    }
    return changed;
  });
}
