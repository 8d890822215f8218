import { describe, expect, it } from "vitest";
import { requestPhaseBuilds } from "@/lib/builds/queue";
import { useSeededDatabase } from "@/lib/testing/seeded-database";

const db = useSeededDatabase();

describe("requestPhaseBuilds", () => {
  it("queues only incomplete images: a pushed image whose rebuild failed is complete and is not queued again", async () => {
    // Phase 4: the Session API was pushed (the build summary); its rebuild then failed.
    const api = await db.prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    await db.prisma.build.create({ data: { imageId: api.id, status: "failed", source: "api", tags: [], platforms: [] } });
    const result = await requestPhaseBuilds(db.prisma, 4, { source: "api", startedBy: "token ci" }, async () => {});
    const queued = result.queued.map((q) => q.image);
    expect(queued).not.toContain("lucid-session-api");
    expect(queued).not.toContain("lucid-rdp-server-manager");
    expect(queued).toContain("lucid-session-pipeline");
  });
});
