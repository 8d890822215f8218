import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { importPlan, PlanImportError } from "@/lib/plan/import";
import { parsePlan, PlanParseError, type ParsedPlan } from "@/lib/plan/parse";
import { getPlanOverview } from "@/lib/views/overview";
import { seedDefaults } from "@/lib/plan/seed";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { lucidPlanDocument } from "@/lib/testing/lucid-fixtures";

// The real document where present, else the built-in plan written out: the same 35 images either way.
const document = lucidPlanDocument();

let prisma: PrismaClient;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
});
afterEach(async () => cleanup());

async function snapshot() {
  return {
    phases: await prisma.phase.findMany({ orderBy: { id: "asc" } }),
    images: await prisma.image.findMany({ orderBy: { id: "asc" } }),
    imports: await prisma.planImport.count(),
    builds: await prisma.build.count(),
  };
}

describe("importPlan", () => {
  it("imports the real plan: 6 phases, 35 images with their paths, tags and platforms", async () => {
    const result = await importPlan(prisma, parsePlan(document), { source: "fixture", document });
    expect(result.images.created).toHaveLength(35);
    const phases = await prisma.phase.findMany({ orderBy: { number: "asc" }, include: { _count: { select: { images: true } } } });
    expect(phases.map((p) => [p.number, p.category, p.required, p._count.images])).toEqual([
      [1, "Base Infrastructure", 3, 3],
      [2, "Foundation Services", 4, 4],
      [3, "Core Services", 6, 6],
      [4, "Application Services", 10, 10],
      [5, "Support Services", 7, 7],
      [6, "Specialized Services", 5, 5],
    ]);
    const api = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    expect(api).toMatchObject({
      step: 18,
      repository: "pickme/lucid-session-api",
      dockerfile: "sessions/Dockerfile.api",
      context: "sessions",
      push: true,
      tags: ["pickme/lucid-session-api:latest-arm64", "pickme/lucid-session-api:latest-$(date +%Y%m%d-%H%M%S)"],
      platforms: ["linux/arm64", "linux/amd64"],
    });
  });

  it("is idempotent: the same document twice writes nothing the second time", async () => {
    await importPlan(prisma, parsePlan(document), { source: "fixture", document });
    const before = await snapshot();
    const again = await importPlan(prisma, parsePlan(document), { source: "fixture", document });
    expect(again.unchanged).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it("previews without writing on a dry run", async () => {
    const result = await importPlan(prisma, parsePlan(document), { source: "fixture", document, dryRun: true });
    expect(result.images.created).toHaveLength(35);
    expect(await snapshot()).toEqual({ phases: [], images: [], imports: 0, builds: 0 });
  });

  it("writes nothing when a malformed document is refused", async () => {
    const broken = document.replace("  -f sessions/Dockerfile.api \\\n", "");
    expect(() => parsePlan(broken)).toThrow(PlanParseError);
    expect(await snapshot()).toEqual({ phases: [], images: [], imports: 0, builds: 0 });
  });

  it("rolls back the whole import when a write fails half-way", async () => {
    const plan = structuredClone(parsePlan(document));
    // A row the database rejects, after earlier phases and images were already written.
    (plan.phases[5]!.images[4] as { tags: unknown }).tags = undefined;
    await expect(importPlan(prisma, plan, { source: "fixture", document })).rejects.toThrow();
    expect(await snapshot()).toEqual({ phases: [], images: [], imports: 0, builds: 0 });
  });

  it("updates changed fields in place and keeps settings the document does not carry", async () => {
    await importPlan(prisma, parsePlan(document), { source: "fixture", document, serviceDefaults: { "lucid-session-api": { port: 8090 } } });
    const changed = document.replace("-f sessions/Dockerfile.api", "-f sessions/Dockerfile.api-v2");
    const result = await importPlan(prisma, parsePlan(changed), { source: "fixture v2", document: changed });
    expect(result.images.updated).toEqual([{ name: "lucid-session-api", phase: 4, fields: ["dockerfile"] }]);
    const api = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    expect(api).toMatchObject({ dockerfile: "sessions/Dockerfile.api-v2", port: 8090 });
  });

  it("refuses to drop images with build history unless removals are allowed", async () => {
    await importPlan(prisma, parsePlan(document), { source: "fixture", document });
    const api = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    await prisma.build.create({ data: { imageId: api.id, status: "succeeded", source: "api", tags: [], platforms: [], pushed: true } });
    const smaller: ParsedPlan = structuredClone(parsePlan(document));
    smaller.phases[3]!.images = smaller.phases[3]!.images.filter((i) => i.name !== "lucid-session-api");
    const before = await snapshot();
    await expect(importPlan(prisma, smaller, { source: "smaller", document: "x" })).rejects.toThrow(PlanImportError);
    expect(await snapshot()).toEqual(before);

    const result = await importPlan(prisma, smaller, { source: "smaller", document: "x", allowRemovals: true });
    expect(result.images.removed).toEqual([{ name: "lucid-session-api", builds: 1 }]);
    expect(await prisma.image.count()).toBe(34);
    expect(await prisma.build.count()).toBe(0);
  });
});

describe("the default data", () => {
  it("is what the parser makes of the real build-commands document", () => {
    expect(LUCID_PLAN).toEqual(parsePlan(document));
  });

  it("tells what the build summary reports: phase 3 complete, phase 4 at 2/10, 8/35 overall", async () => {
    const first = await seedDefaults(prisma);
    expect(first.planImported).toBe(true);
    expect(first.buildsRecorded).toHaveLength(8);
    const overview = await getPlanOverview(prisma);
    expect(overview.phases.map((p) => [p.number, p.completed, p.required, p.status])).toEqual([
      [1, 0, 3, "pending"],
      [2, 0, 4, "pending"],
      [3, 6, 6, "complete"],
      [4, 2, 10, "in_progress"],
      [5, 0, 7, "pending"],
      [6, 0, 5, "pending"],
    ]);
    // Nothing was reported from the Pi: deployed counts 0, and runningReportedAt says it is unknown rather than none.
    expect(overview.totals).toEqual({ required: 35, completed: 8, percent: 23, images: 35, deployed: 0 });
    expect(overview.runningReportedAt).toBeNull();
    const api = overview.phases[3]!.images.find((i) => i.name === "lucid-session-api")!;
    expect(api.latestBuild).toMatchObject({ source: "imported", durationMs: 750_000, reportedSizeBytes: 54_300_000, startedAt: null, digest: null });
    expect(api.port).toBe(8090);

    const second = await seedDefaults(prisma);
    expect(second).toEqual({ planImported: false, buildsRecorded: [] });
    expect(await prisma.build.count()).toBe(8);
  });
});

describe("removing images with builds in flight", () => {
  it("refuses, even with removals allowed, while a removed image has a build queued or running", async () => {
    await importPlan(prisma, parsePlan(document), { source: "fixture", document });
    const api = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    await prisma.build.create({ data: { imageId: api.id, status: "running", source: "dashboard", tags: [], platforms: [] } });
    const smaller: ParsedPlan = structuredClone(parsePlan(document));
    smaller.phases[3]!.images = smaller.phases[3]!.images.filter((i) => i.name !== "lucid-session-api");
    const before = await snapshot();
    await expect(importPlan(prisma, smaller, { source: "smaller", document: "x", allowRemovals: true })).rejects.toThrow(/queued or running/);
    expect(await snapshot()).toEqual(before);
  });
});
