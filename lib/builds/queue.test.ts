import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestPhaseBuilds } from "@/lib/builds/queue";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
});
afterEach(async () => cleanup());

describe("requestPhaseBuilds", () => {
  it("queues only incomplete images: a pushed image whose rebuild failed is complete and is not queued again", async () => {
    // Phase 4: the Session API was pushed (the build summary); its rebuild then failed.
    const api = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    await prisma.build.create({ data: { imageId: api.id, status: "failed", source: "api", tags: [], platforms: [] } });
    const result = await requestPhaseBuilds(prisma, 4, { source: "api", startedBy: "token ci" }, async () => {});
    const queued = result.queued.map((q) => q.image);
    expect(queued).not.toContain("lucid-session-api");
    expect(queued).not.toContain("lucid-rdp-server-manager");
    expect(queued).toContain("lucid-session-pipeline");
  });
});
