// What the Pi runs, as last reported, matched to the plan and to the pushed builds (lib/deploy/running/drift.ts).
import type { Db } from "@/lib/db/types";
import { jsonStrings } from "@/lib/db/json";
import { InvalidReferenceError } from "@/lib/registry/reference";
import { normalisedRepository, planMatcher } from "@/lib/deploy/declared";
import { planImageRefs } from "@/lib/deploy/load";
import { driftOf, runningDigests, type Drift, type PushedBuildDigests } from "@/lib/deploy/running/drift";

/** Pushed builds looked at per image when finding which one runs. */
const BUILDS_LOOKED_AT = 100;

export type RunningContainerView = {
  service: string;
  containerName: string;
  image: string;
  state: string;
  health: string | null;
  startedAt: string | null;
  status: string | null;
  planImage: string | null;
  digests: string[];
  drift: Drift | null;
};

export type RunningView = { observedAt: string | null; source: string | null; containers: RunningContainerView[] };

async function pushedBuilds(db: Db, imageId: number): Promise<PushedBuildDigests[]> {
  const builds = await db.build.findMany({
    where: { imageId, pushed: true },
    orderBy: { id: "desc" },
    take: BUILDS_LOOKED_AT,
    select: { id: true, finishedAt: true, digest: true, sizes: { select: { digest: true, configDigest: true } } },
  });
  return builds.map((b) => ({ id: b.id, finishedAt: b.finishedAt, digests: [b.digest, ...b.sizes.flatMap((s) => [s.digest, s.configDigest])].filter((d): d is string => !!d) }));
}

export async function runningView(db: Db): Promise<RunningView> {
  const [rows, plan, images] = await Promise.all([
    db.runningContainer.findMany({ orderBy: [{ service: "asc" }, { containerName: "asc" }] }),
    planImageRefs(db),
    db.image.findMany({ select: { id: true, name: true } }),
  ]);
  if (rows.length === 0) return { observedAt: null, source: null, containers: [] };
  const match = planMatcher(plan);
  const idOf = new Map(images.map((i) => [i.name, i.id]));
  const builds = new Map<string, Promise<PushedBuildDigests[]>>();
  const containers = await Promise.all(
    rows.map(async (row): Promise<RunningContainerView> => {
      let planImage: string | null = null;
      try {
        const ref = normalisedRepository(row.image);
        planImage = match(ref.repository, ref.tag).image?.name ?? null;
      } catch (error) {
        if (!(error instanceof InvalidReferenceError)) throw error;
      }
      const digests = runningDigests(row.imageId, jsonStrings(row.repoDigests));
      let drift: Drift | null = null;
      if (planImage) {
        if (!builds.has(planImage)) builds.set(planImage, pushedBuilds(db, idOf.get(planImage)!));
        drift = driftOf(digests, await builds.get(planImage)!);
      }
      return {
        service: row.service,
        containerName: row.containerName,
        image: row.image,
        state: row.state,
        health: row.health,
        startedAt: row.startedAt?.toISOString() ?? null,
        status: row.status,
        planImage,
        digests,
        drift,
      };
    }),
  );
  return { observedAt: rows[0]!.observedAt.toISOString(), source: rows[0]!.source, containers };
}

/** The plan images with a running container: what counts as deployed (running, not exited). */
export function deployedImages(view: RunningView): Set<string> {
  return new Set(view.containers.filter((c) => c.state === "running" && c.planImage).map((c) => c.planImage!));
}
