import { describe, expect, it } from "vitest";
import { databaseVersion } from "@/lib/db/changes";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import { databaseFilePath } from "@/lib/db/url";
import { CONFIRM_EVERY_MS, storeRunning } from "@/lib/deploy/running/store";
import type { ReportedContainer } from "@/lib/deploy/running/report";

const container = (state: string): ReportedContainer => ({ service: "api", project: "lucid", containerName: "api", image: "pickme/lucid-session-api", imageId: `sha256:${"c".repeat(64)}`, repoDigests: [], state, health: null, startedAt: null, status: "Up" });

describe("storeRunning", () => {
  it.skipIf(onPostgres)("writes a report that changes what runs, and an unchanged one only every few minutes (each write empties the caches)", async () => {
    const { prisma, url, cleanup } = await createTestDatabase();
    try {
      const file = databaseFilePath(url);
      const t0 = new Date("2026-11-30T12:00:00Z");
      expect(await storeRunning(prisma, [container("running")], "system", "engine", t0)).toBe(true);
      const version = databaseVersion(file);
      expect(await storeRunning(prisma, [container("running")], "system", "engine", new Date(t0.getTime() + 60_000))).toBe(false);
      expect(databaseVersion(file)).toBe(version);
      expect((await prisma.runningContainer.findFirstOrThrow()).observedAt).toEqual(t0);
      // Still so after the confirmation interval: written again with the new time, not audited as a change.
      expect(await storeRunning(prisma, [container("running")], "system", "engine", new Date(t0.getTime() + CONFIRM_EVERY_MS))).toBe(false);
      expect((await prisma.runningContainer.findFirstOrThrow()).observedAt).toEqual(new Date(t0.getTime() + CONFIRM_EVERY_MS));
      expect(await storeRunning(prisma, [container("exited")], "system", "engine", new Date(t0.getTime() + CONFIRM_EVERY_MS + 1))).toBe(true);
      expect(await prisma.auditEvent.count({ where: { action: "deployment.report" } })).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
