// The Base images view and GET /api/bases: every base the plan's Dockerfiles build FROM, what its tag points at
// now, when that was checked and when it moved, and which plan images were built from an older digest (with the
// evidence used). JSON-ready: dates as ISO strings.
import type { BaseUseVerdict, PlanSupplyChain } from "@/lib/supply-chain/plan";
import type { Freshness } from "@/lib/supply-chain/freshness";
import type { SupplyChainSummary } from "@/lib/supply-chain/summary";

/** One image's verdict on a base: whether its final stage is built on it, the verdict, the evidence, the build judged. */
export type BaseImageUse = BaseUseVerdict;

export type BaseImageRow = {
  reference: string;
  /** The reference without its tag (gcr.io/distroless/python3-debian12), and the tag: the page groups tags by repository. */
  repository: string;
  tag: string;
  /** Set when the base is one of the plan's own images: its "current digest" is that image's latest push. */
  planImage: string | null;
  digest: string | null;
  checkedAt: string | null;
  movedAt: string | null;
  error: string | null;
  images: BaseImageUse[];
  stale: number;
};

export type BasesView = {
  bases: BaseImageRow[];
  /** Images built from an older digest of one of their bases, in plan order: what "Rebuild" queues. */
  needRebuild: string[];
  lastCheckedAt: string | null;
  /** Bases the Dockerfiles name that cannot move or cannot be named, per image (pinned by digest, unresolved ARGs). */
  skipped: { image: string; reason: string }[];
  /** Images whose Dockerfile could not be read, so their bases are not known. */
  unread: { image: string; reason: string }[];
  /** Minutes between scheduled checks, or null when checks run only on demand. */
  scheduleMinutes: number | null;
};

export function basesView(plan: PlanSupplyChain, scheduleMinutes: number | null): BasesView {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    bases: plan.bases.map((base) => {
      const images = base.usedBy;
      const tagAt = base.reference.lastIndexOf(":");
      return {
        reference: base.reference,
        repository: base.reference.slice(0, tagAt),
        tag: base.reference.slice(tagAt + 1),
        planImage: base.planImage,
        digest: base.digest,
        checkedAt: iso(base.checkedAt),
        movedAt: iso(base.movedAt),
        error: base.error,
        images,
        stale: images.filter((i) => i.state === "stale").length,
      };
    }),
    needRebuild: plan.needRebuild,
    lastCheckedAt: iso(plan.lastCheckedAt),
    skipped: plan.images.flatMap((i) => i.skipped.map((reason) => ({ image: i.image, reason }))),
    unread: plan.images.flatMap((i) => (i.dockerfileProblem ? [{ image: i.image, reason: i.dockerfileProblem }] : [])),
    scheduleMinutes,
  };
}

/** One image's supply chain for its page: the latest push's attestations and signature, and its bases' freshness. */
export type ImageSupplyChainView = {
  build: { id: number; digest: string | null } | null;
  readAt: string | null;
  readError: string | null;
  summary: SupplyChainSummary | null;
  bases: (Omit<Freshness, "movedAt"> & { movedAt: string | null })[];
  skipped: string[];
  dockerfileProblem: string | null;
  notRead: string | null;
};

export function imageSupplyChainView(plan: PlanSupplyChain, image: string): ImageSupplyChainView | null {
  const entry = plan.images.find((i) => i.image === image);
  if (!entry) return null;
  return {
    build: entry.build ? { id: entry.build.id, digest: entry.build.digest } : null,
    readAt: entry.supplyChain?.readAt.toISOString() ?? null,
    readError: entry.supplyChain?.error ?? null,
    summary: entry.supplyChain?.summary ?? null,
    bases: entry.freshness.map((f) => ({ ...f, movedAt: f.movedAt?.toISOString() ?? null })),
    skipped: entry.skipped,
    dockerfileProblem: entry.dockerfileProblem,
    notRead: entry.notRead,
  };
}
