import type { PrismaClient } from "@/lib/generated/prisma/client";
import { importPlan } from "@/lib/plan/import";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { LUCID_SERVICE_DEFAULTS, SUMMARY_BUILDS, SUMMARY_SOURCE } from "@/lib/plan/defaults";

const DEFAULT_PLAN_SOURCE = "built-in Lucid plan (LUCID_35_IMAGES_BUILD_COMMANDS.md)";

export type SeedResult = { planImported: boolean; buildsRecorded: string[] };

/**
 * Fills a fresh database with the Lucid plan and the builds the Phase 4 summary reports.
 * Safe to run on every start: a database that already has a plan keeps it, and a summary build is
 * recorded only for an image that has none from the summary yet.
 */
export async function seedDefaults(prisma: PrismaClient): Promise<SeedResult> {
  let planImported = false;
  if ((await prisma.phase.count()) === 0) {
    await importPlan(prisma, LUCID_PLAN, {
      source: DEFAULT_PLAN_SOURCE,
      document: JSON.stringify(LUCID_PLAN),
      serviceDefaults: LUCID_SERVICE_DEFAULTS,
    });
    planImported = true;
  }

  const buildsRecorded = await prisma.$transaction(async (tx) => {
    const images = await tx.image.findMany({
      where: { name: { in: SUMMARY_BUILDS.map((b) => b.image) } },
      select: { id: true, name: true, builds: { where: { startedBy: SUMMARY_SOURCE }, select: { id: true }, take: 1 } },
    });
    const recorded: string[] = [];
    for (const build of SUMMARY_BUILDS) {
      const image = images.find((i) => i.name === build.image);
      if (!image || image.builds.length > 0) continue;
      await tx.build.create({
        data: {
          imageId: image.id,
          status: "succeeded",
          source: "imported",
          startedBy: SUMMARY_SOURCE,
          pushed: true,
          builder: build.argv ? "docker buildx (Windows 11, Docker Desktop + BuildKit)" : null,
          argv: build.argv ?? undefined,
          tags: build.tags,
          platforms: build.platforms,
          durationMs: build.durationMs,
          reportedSizeBytes: build.reportedSizeBytes,
          evidence: build.evidence,
        },
      });
      recorded.push(build.image);
    }
    return recorded;
  });
  return { planImported, buildsRecorded };
}
