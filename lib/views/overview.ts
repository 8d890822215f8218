import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  imageState,
  percent,
  phaseStatus,
  type ImageState,
  type PhaseStatus,
} from "@/lib/builds/status";
import { latestBuildIds } from "@/lib/builds/latest";
import { buildSummarySelect, toBuildSummary, type BuildSummary } from "@/lib/builds/summary";
import { toImageSpec, type ImageSpec } from "@/lib/plan/image-spec";
import type { Drift } from "@/lib/deploy/running/drift";
import { runningView, type RunningContainerView } from "@/lib/views/running";
import { latestScans, type ScanSummary } from "@/lib/views/vulnerabilities";

/** The latest push's latest scan, as counts: null when it was not scanned. */
export type ImageVulnerabilityCounts = { critical: number; high: number; medium: number; low: number; unknown: number; fixableCriticalHigh: number; scanner: string; build: number };


export type ImageOverview = ImageSpec & {
  /** What the latest attempt says (building, failed, …). */
  state: ImageState;
  /** A build of this image was pushed: it counts as complete, whatever the latest attempt says. */
  shipped: boolean;
  /** The newest pushed build: what is in the registry. */
  latestPush: BuildSummary | null;
  latestBuild: BuildSummary | null;
  /** The newest successful build: the source of the build-time and size charts. */
  latestSuccess: BuildSummary | null;
  /** A container the Pi last reported runs this image (null: none runs, or nothing was reported), and its drift. */
  running: { state: string; health: string | null; drift: Drift | null } | null;
  vulnerabilities: ImageVulnerabilityCounts | null;
};

export type PhaseOverview = {
  number: number;
  name: string;
  category: string;
  required: number;
  completed: number;
  /** Images of the phase a running container runs, as the Pi last reported. */
  deployed: number;
  /** Over the phase's images whose latest push was scanned (`scanned` of them). */
  vulnerabilities: { scanned: number; critical: number; high: number; fixableCriticalHigh: number };
  status: PhaseStatus;
  images: ImageOverview[];
};

export type PlanOverview = {
  phases: PhaseOverview[];
  totals: { required: number; completed: number; percent: number; images: number; deployed: number };
  /** When the Pi last reported what it runs; null: never, so deployed figures are unknown, not zero. */
  runningReportedAt: string | null;
};

/** The whole plan with each image's state, in a fixed number of queries whatever the number of images or builds. */
export async function getPlanOverview(prisma: PrismaClient): Promise<PlanOverview> {
  const [phases, latest, running] = await Promise.all([
    prisma.phase.findMany({ orderBy: { number: "asc" }, include: { images: { orderBy: { step: "asc" } } } }),
    latestBuildIds(prisma),
    runningView(prisma),
  ]);
  // The first running container of each image (a running one before an exited one).
  const containerOf = new Map<string, RunningContainerView>();
  for (const c of [...running.containers].sort((a, b) => Number(b.state === "running") - Number(a.state === "running"))) {
    if (c.planImage && !containerOf.has(c.planImage)) containerOf.set(c.planImage, c);
  }
  const ids = [...latest.values()].flatMap((l) => [l.latestId, l.successId, l.pushedId]).filter((id): id is number => id !== null);
  const builds = new Map((await prisma.build.findMany({ where: { id: { in: [...new Set(ids)] } }, select: buildSummarySelect })).map((b) => [b.id, toBuildSummary(b)]));
  const buildOf = (id: number | null | undefined) => (id == null ? null : (builds.get(id) ?? null));
  const scans = await latestScans(prisma, [...latest.values()].flatMap((l) => (l.pushedId === null ? [] : [l.pushedId])));

  const phaseViews = phases.map((phase): PhaseOverview => {
    const images = phase.images.map((image): ImageOverview => {
      const ids = latest.get(image.id);
      const latestBuild = buildOf(ids?.latestId);
      const latestPush = buildOf(ids?.pushedId);
      return {
        ...toImageSpec(image),
        state: imageState(latestBuild),
        shipped: latestPush !== null,
        latestPush,
        latestBuild,
        latestSuccess: buildOf(ids?.successId),
        running: containerOf.has(image.name) ? { state: containerOf.get(image.name)!.state, health: containerOf.get(image.name)!.health, drift: containerOf.get(image.name)!.drift } : null,
        vulnerabilities: vulnerabilityCounts(scans.get(ids?.pushedId ?? -1)),
      };
    });
    const shipped = images.filter((i) => i.shipped).length;
    return {
      number: phase.number,
      name: phase.name,
      category: phase.category,
      required: phase.required,
      completed: shipped,
      deployed: images.filter((i) => i.running?.state === "running").length,
      vulnerabilities: phaseVulnerabilities(images),
      status: phaseStatus(phase.required, shipped, images.some((i) => i.state !== "not_built")),
      images,
    };
  });

  const required = phaseViews.reduce((sum, p) => sum + p.required, 0);
  const completed = phaseViews.reduce((sum, p) => sum + p.completed, 0);
  const images = phaseViews.reduce((sum, p) => sum + p.images.length, 0);
  const deployed = phaseViews.reduce((sum, p) => sum + p.deployed, 0);
  return { phases: phaseViews, totals: { required, completed, percent: percent(completed, required), images, deployed }, runningReportedAt: running.observedAt };
}

function vulnerabilityCounts(scan: ScanSummary | undefined): ImageVulnerabilityCounts | null {
  if (!scan) return null;
  const { critical, high, medium, low, unknown, fixableCriticalHigh, scanner, build } = scan;
  return { critical, high, medium, low, unknown, fixableCriticalHigh, scanner, build };
}

function phaseVulnerabilities(images: ImageOverview[]): PhaseOverview["vulnerabilities"] {
  const scanned = images.flatMap((i) => (i.vulnerabilities ? [i.vulnerabilities] : []));
  const sum = (pick: (v: ImageVulnerabilityCounts) => number) => scanned.reduce((n, v) => n + pick(v), 0);
  return { scanned: scanned.length, critical: sum((v) => v.critical), high: sum((v) => v.high), fixableCriticalHigh: sum((v) => v.fixableCriticalHigh) };
}
