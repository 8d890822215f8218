import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  imageState,
  isComplete,
  percent,
  phaseStatus,
  type ImageState,
  type PhaseStatus,
} from "@/lib/builds/status";
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

const latestBuildSelect = {
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
} as const;

/** The whole plan with each image's state, in one round of queries (no per-image loop). */
export async function getPlanOverview(prisma: PrismaClient): Promise<PlanOverview> {
  const phases = await prisma.phase.findMany({
    orderBy: { number: "asc" },
    include: {
      images: {
        orderBy: { step: "asc" },
        include: { builds: { orderBy: { id: "desc" }, take: 1, select: latestBuildSelect } },
      },
    },
  });

  const phaseViews = phases.map((phase): PhaseOverview => {
    const images = phase.images.map((image): ImageOverview => {
      const latest = image.builds[0] ?? null;
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
        state: imageState(latest),
        latestBuild: latest && {
          ...latest,
          startedAt: latest.startedAt?.toISOString() ?? null,
          finishedAt: latest.finishedAt?.toISOString() ?? null,
        },
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
