import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  imageState,
  isComplete,
  percent,
  phaseStatus,
  type ImageState,
  type PhaseStatus,
} from "@/lib/builds/status";
import { latestBuildIds } from "@/lib/builds/latest";
import { sizesByPlatform } from "@/lib/builds/sizes";
import { jsonStrings } from "@/lib/plan/json";

export type LatestBuild = {
  id: number;
  status: string;
  source: string;
  pushed: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  reportedSizeBytes: number | null;
  digest: string | null;
  evidence: string | null;
  /** Compressed bytes per platform, where the registry or the builder reported them. */
  sizes: Record<string, number>;
};

export type ImageOverview = {
  name: string;
  step: number;
  title: string;
  repository: string;
  tags: string[];
  dockerfile: string;
  context: string;
  platforms: string[];
  port: number | null;
  healthPath: string | null;
  expectedUser: string;
  state: ImageState;
  latestBuild: LatestBuild | null;
  /** The newest successful build: the source of the build-time and size charts. */
  latestSuccess: LatestBuild | null;
};

export type PhaseOverview = {
  number: number;
  name: string;
  category: string;
  required: number;
  completed: number;
  status: PhaseStatus;
  images: ImageOverview[];
};

export type PlanOverview = {
  phases: PhaseOverview[];
  totals: { required: number; completed: number; percent: number; images: number };
};

type BuildRow = Awaited<ReturnType<typeof loadBuilds>>[number];

function loadBuilds(prisma: PrismaClient, ids: number[]) {
  return prisma.build.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      status: true,
      source: true,
      pushed: true,
      startedAt: true,
      finishedAt: true,
      durationMs: true,
      reportedSizeBytes: true,
      digest: true,
      evidence: true,
      sizes: { select: { platform: true, compressedBytes: true } },
    },
  });
}

function toLatestBuild(row: BuildRow): LatestBuild {
  return {
    ...row,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    sizes: sizesByPlatform(row.sizes),
  };
}

/** The whole plan with each image's state, in a fixed number of queries whatever the number of images or builds. */
export async function getPlanOverview(prisma: PrismaClient): Promise<PlanOverview> {
  const [phases, latest] = await Promise.all([
    prisma.phase.findMany({ orderBy: { number: "asc" }, include: { images: { orderBy: { step: "asc" } } } }),
    latestBuildIds(prisma),
  ]);
  const ids = [...latest.values()].flatMap((l) => [l.latestId, l.successId]).filter((id): id is number => id !== null);
  const builds = new Map((await loadBuilds(prisma, [...new Set(ids)])).map((b) => [b.id, toLatestBuild(b)]));
  const buildOf = (id: number | null | undefined) => (id == null ? null : (builds.get(id) ?? null));

  const phaseViews = phases.map((phase): PhaseOverview => {
    const images = phase.images.map((image): ImageOverview => {
      const ids = latest.get(image.id);
      const latestBuild = buildOf(ids?.latestId);
      return {
        name: image.name,
        step: image.step,
        title: image.title,
        repository: image.repository,
        tags: jsonStrings(image.tags),
        dockerfile: image.dockerfile,
        context: image.context,
        platforms: jsonStrings(image.platforms),
        port: image.port,
        healthPath: image.healthPath,
        expectedUser: image.expectedUser,
        state: imageState(latestBuild),
        latestBuild,
        latestSuccess: buildOf(ids?.successId),
      };
    });
    const states = images.map((i) => i.state);
    return {
      number: phase.number,
      name: phase.name,
      category: phase.category,
      required: phase.required,
      completed: states.filter(isComplete).length,
      status: phaseStatus(phase.required, states),
      images,
    };
  });

  const required = phaseViews.reduce((sum, p) => sum + p.required, 0);
  const completed = phaseViews.reduce((sum, p) => sum + p.completed, 0);
  const images = phaseViews.reduce((sum, p) => sum + p.images.length, 0);
  return { phases: phaseViews, totals: { required, completed, percent: percent(completed, required), images } };
}
