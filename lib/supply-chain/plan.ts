// The plan's supply chain: for every image, the bases its Dockerfile builds FROM and whether its latest push
// was built from what they point at now; for every base, its digest and the images built from an older one.
// A base that is itself a plan image is judged against that image's latest push, without asking a registry.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { latestBuildIds } from "@/lib/builds/latest";
import { optionsWithDefaults, planWithDefaults } from "@/lib/compliance/analyse";
import { analyseCheckoutDockerfile } from "@/lib/compliance/checkout-dockerfile";
import { mapWithLimit } from "@/lib/concurrency";
import { jsonStrings } from "@/lib/db/json";
import { normalisedRepository, planMatcher } from "@/lib/deploy/declared";
import type { Env } from "@/lib/env";
import { registryAccess } from "@/lib/registry/credentials";
import { parseReference } from "@/lib/registry/reference";
import { checkBaseReferences, type BaseCheckResult } from "@/lib/supply-chain/base-check";
import { baseUses, judgeFreshness, normalised, type BaseState, type BaseUse, type BuiltImage, type DigestPlatform, type Freshness, type KnownDigest } from "@/lib/supply-chain/freshness";
import { readSupplyChain, recordSupplyChain, type SupplyChainSettings } from "@/lib/supply-chain/read";
import { cosignPublicKey } from "@/lib/supply-chain/signature";
import { baseCheckMinIntervalMs } from "@/lib/supply-chain/scheduler";
import { storedSummary, type SupplyChainSummary } from "@/lib/supply-chain/summary";

export type PushedBuild = { id: number; digest: string | null; finishedAt: Date | null; tag: string | null };

export type StoredSupplyChain = { readAt: Date; error: string | null; summary: SupplyChainSummary | null };

export type ImageSupplyChain = {
  imageId: number;
  image: string;
  phase: number;
  build: PushedBuild | null;
  uses: BaseUse[];
  /** Bases that cannot move or cannot be named (scratch is not listed), each with why. */
  skipped: string[];
  /** Why the Dockerfile gave no bases (missing, unparsable), or null. */
  dockerfileProblem: string | null;
  freshness: Freshness[];
  supplyChain: StoredSupplyChain | null;
  /** Why the latest push's registry is not read (it is not the registry builds push to), or null. */
  notRead: string | null;
};

/** One image's verdict on one base, with the evidence and the build judged. */
export type BaseUseVerdict = Pick<Freshness, "final" | "state" | "evidence" | "builtFrom" | "detail"> & { image: string; build: number | null };

export type BaseView = {
  reference: string;
  planImage: string | null;
  digest: string | null;
  checkedAt: Date | null;
  /** When a check first saw the tag move (outside bases), or when the plan image was last pushed. */
  movedAt: Date | null;
  error: string | null;
  usedBy: BaseUseVerdict[];
};

export type PlanSupplyChain = {
  images: ImageSupplyChain[];
  bases: BaseView[];
  /** Images with a stale base, in plan order. */
  needRebuild: string[];
  lastCheckedAt: Date | null;
};

const HISTORY = 20;

/** Everything the bases view, the image page and the compliance rules need, from the database and the checkout. */
export async function planSupplyChain(prisma: PrismaClient, env: Env = process.env): Promise<PlanSupplyChain> {
  const rows = await prisma.image.findMany({
    select: { id: true, name: true, repository: true, tags: true, dockerfile: true, port: true, healthPath: true, phase: { select: { number: true } } },
    orderBy: [{ phase: { number: "asc" } }, { step: "asc" }],
  });
  const latest = await latestBuildIds(prisma);
  const pushedIds = rows.map((r) => latest.get(r.id)?.pushedId).filter((id): id is number => id != null);
  const [builds, dockerfiles, stored] = await Promise.all([
    prisma.build.findMany({ where: { id: { in: pushedIds } }, select: { id: true, imageId: true, digest: true, finishedAt: true, tags: true, sizes: { select: { platform: true, digest: true, diffIds: true } } } }),
    Promise.all(rows.map((r) => analyseCheckoutDockerfile(r.dockerfile, planWithDefaults({}), optionsWithDefaults(), env))),
    prisma.supplyChain.findMany({ where: { buildId: { in: pushedIds } } }),
  ]);
  const buildOf = new Map(builds.map((b) => [b.imageId, b]));
  const storedOf = new Map(stored.map((s) => [s.buildId, { readAt: s.readAt, error: s.error, summary: storedSummary(s.summary) }]));

  const home = registryAccess(env).registry ?? "docker.io";
  const match = planMatcher(rows.map((r) => ({ name: r.name, repository: r.repository, tags: jsonStrings(r.tags), port: r.port, healthPath: r.healthPath })));
  const images = rows.map((row, i) => {
    const build = buildOf.get(row.id) ?? null;
    const analysis = dockerfiles[i]!;
    const { uses, skipped } = baseUses(analysis.facts);
    return {
      row,
      build,
      uses,
      skipped,
      dockerfileProblem: analysis.facts ? null : (analysis.parseError ?? analysis.findings.find((f) => f.rule === "dockerfile-present")?.message ?? "the Dockerfile could not be read"),
    };
  });

  const planBaseOf = new Map<string, string>();
  for (const { uses } of images) {
    for (const use of uses) {
      const { repository, tag } = normalisedRepository(use.reference);
      const planImage = match(repository, tag).image;
      // Only a tag the plan image pushes follows its pushes; another (an old pinned tag) is an outside base.
      if (planImage && planImage.tags.some((t) => normalised(t) === use.reference)) planBaseOf.set(use.reference, planImage.name);
    }
  }
  const states = await baseStates(prisma, [...new Set(images.flatMap((i) => i.uses.map((u) => u.reference)))], planBaseOf, rows, latest);

  const result: ImageSupplyChain[] = images.map(({ row, build, uses, skipped, dockerfileProblem }) => {
    const supplyChain = build ? (storedOf.get(build.id) ?? null) : null;
    const built: BuiltImage | null = build
      ? {
          buildId: build.id,
          platforms: build.sizes.map((p) => ({ platform: p.platform, digest: p.digest, diffIds: stringList(p.diffIds) })),
          materials: materialsOf(supplyChain?.summary ?? null),
        }
      : null;
    return {
      imageId: row.id,
      image: row.name,
      phase: row.phase.number,
      build: build ? { id: build.id, digest: build.digest, finishedAt: build.finishedAt, tag: jsonStrings(build.tags)[0] ?? null } : null,
      uses,
      skipped,
      dockerfileProblem,
      freshness: uses.map((use) => judgeFreshness(use, states.get(use.reference) ?? null, built)),
      supplyChain,
      notRead: build ? foreignRegistry(jsonStrings(build.tags)[0] ?? null, home) : null,
    };
  });

  const bases: BaseView[] = [...states.values()].map((state) => ({
    reference: state.reference,
    planImage: state.planImage,
    digest: state.history[0]?.digest ?? null,
    checkedAt: state.checkedAt,
    movedAt: state.movedAt,
    error: state.error,
    usedBy: result.flatMap((image) =>
      image.freshness
        .filter((f) => f.base === state.reference)
        .map((f) => ({ image: image.image, final: f.final, state: f.state, evidence: f.evidence, builtFrom: f.builtFrom, detail: f.detail, build: image.build?.id ?? null })),
    ),
  }));
  bases.sort((a, b) => b.usedBy.length - a.usedBy.length || a.reference.localeCompare(b.reference));
  const checked = bases.filter((b) => b.planImage === null && b.checkedAt !== null).map((b) => b.checkedAt!.getTime());
  return {
    images: result,
    bases,
    needRebuild: result.filter((i) => i.freshness.some((f) => f.state === "stale")).map((i) => i.image),
    lastCheckedAt: checked.length > 0 ? new Date(Math.max(...checked)) : null,
  };
}

type State = BaseState & { movedAt: Date | null };

async function baseStates(
  prisma: PrismaClient,
  references: string[],
  planBaseOf: Map<string, string>,
  rows: { id: number; name: string }[],
  latest: Awaited<ReturnType<typeof latestBuildIds>>,
): Promise<Map<string, State>> {
  const outside = references.filter((r) => !planBaseOf.has(r));
  const records = await prisma.baseImage.findMany({
    where: { reference: { in: outside } },
    include: { digests: { orderBy: { lastSeenAt: "desc" }, take: HISTORY } },
  });
  const states = new Map<string, State>();
  for (const reference of outside) {
    const record = records.find((r) => r.reference === reference);
    const digests = record?.digests ?? [];
    const current = digests.find((d) => d.digest === record?.digest);
    const history: KnownDigest[] = (current ? [current, ...digests.filter((d) => d !== current)] : []).map((d) => ({
      digest: d.digest,
      since: d.firstSeenAt,
      platforms: digestPlatforms(d.platforms),
    }));
    states.set(reference, { reference, planImage: null, history, checkedAt: record?.checkedAt ?? null, movedAt: record?.movedAt ?? null, error: record?.error ?? null });
  }
  for (const [reference, planImage] of planBaseOf) {
    const row = rows.find((r) => r.name === planImage)!;
    const pushes = latest.get(row.id)?.pushedId
      ? await prisma.build.findMany({
          where: { imageId: row.id, status: "succeeded", pushed: true, digest: { not: null } },
          orderBy: { id: "desc" },
          take: HISTORY,
          select: { digest: true, finishedAt: true, sizes: { select: { platform: true, digest: true, diffIds: true } } },
        })
      : [];
    const history: KnownDigest[] = pushes.map((b) => ({
      digest: b.digest!,
      since: b.finishedAt ?? new Date(0),
      platforms: b.sizes.filter((p) => p.digest !== null).map((p) => ({ platform: p.platform, digest: p.digest!, diffIds: stringList(p.diffIds) ?? [] })),
    }));
    states.set(reference, { reference, planImage, history, checkedAt: history[0]?.since ?? null, movedAt: history[0]?.since ?? null, error: null });
  }
  return states;
}

/**
 * Attestations are read only from the registry builds push to (LUCID_REGISTRY, else Docker Hub): the one the
 * credentials are for, and the one tests point at loopback. A reported build pushed elsewhere is not read.
 */
function foreignRegistry(tag: string | null, home: string): string | null {
  if (tag === null) return "the build records no pushed tag to read";
  try {
    const { registry } = parseReference(tag);
    return registry === home ? null : `pushed to ${registry}, not to the registry builds push to (${home}); only that one is read`;
  } catch {
    return `its tag ${JSON.stringify(tag)} is not an image reference`;
  }
}

function materialsOf(summary: SupplyChainSummary | null): BuiltImage["materials"] {
  const withProvenance = summary?.platforms.filter((p) => p.provenance !== null) ?? [];
  return withProvenance.length > 0 ? withProvenance.flatMap((p) => p.provenance!.materials) : null;
}

function digestPlatforms(value: unknown): DigestPlatform[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((p) => {
    if (typeof p !== "object" || p === null) return [];
    const { platform, digest, diffIds } = p as Record<string, unknown>;
    const ids = stringList(diffIds);
    return typeof platform === "string" && typeof digest === "string" && ids ? [{ platform, digest, diffIds: ids }] : [];
  });
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? (value as string[]) : null;
}

// ---------------------------------------------------------------------------
// Checking

export type SupplyChainCheck = BaseCheckResult & { images: number; readFailures: { image: string; error: string }[] };

export type CheckSettings = Partial<Pick<SupplyChainSettings, "fetch" | "timeoutMs">> & { minIntervalMs?: number };

/**
 * Checks every outside base's tag now, then reads the attestations and signatures of every image's latest push
 * again (signatures are usually added after the push). Plan-image bases need no request.
 */
export async function runSupplyChainCheck(prisma: PrismaClient, env: Env = process.env, settings: CheckSettings = {}): Promise<SupplyChainCheck> {
  // A misconfigured key is refused before any registry is asked.
  const key = cosignPublicKey(env);
  const state = await planSupplyChain(prisma, env);
  const access = registryAccess(env);
  const outside = state.bases.filter((b) => b.planImage === null).map((b) => b.reference);
  const platforms = [...new Set((await prisma.image.findMany({ select: { platforms: true } })).flatMap((i) => jsonStrings(i.platforms)))];
  const bases = await checkBaseReferences(prisma, outside, {
    access,
    platforms,
    env,
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs,
    minIntervalMs: settings.minIntervalMs ?? baseCheckMinIntervalMs(env),
  });
  const pushed = state.images.filter((i) => i.build?.digest && i.build.tag && i.notRead === null);
  const readFailures: SupplyChainCheck["readFailures"] = [];
  await mapWithLimit(pushed, 4, async (image) => {
    const build = image.build!;
    const outcome = await readSupplyChain(build.tag!, build.digest!, { access, key, fetch: settings.fetch, timeoutMs: settings.timeoutMs });
    if (!outcome.ok) readFailures.push({ image: image.image, error: outcome.error });
    await recordSupplyChain(prisma, build.id, build.digest!, outcome);
  });
  return { ...bases, images: pushed.length, readFailures };
}
