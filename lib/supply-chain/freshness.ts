// Whether a pushed image was built from what its base tag points at now, and which evidence says so:
// the provenance's materials (the digest BuildKit resolved), else the layers (a base's diff_ids are a
// prefix of the image's, per platform; only for the final stage's base). Without either: unknown.
import type { DockerfileFacts } from "@/lib/compliance/types";
import { formatReference, parseReference, samePlatform, shortDigest, InvalidReferenceError } from "@/lib/registry/reference";
import { formatUtc } from "@/lib/format";
import type { Material } from "@/lib/supply-chain/in-toto";

export type BaseUse = {
  /** Normalised: docker.io/library/python:3.12-slim. */
  reference: string;
  /** As the Dockerfile resolves it, for messages. */
  written: string;
  line: number;
  /** The final image is built on it (its layers are in the image). */
  final: boolean;
};

export type DigestPlatform = { platform: string; digest: string; diffIds: string[] };

/** A digest the base tag was seen pointing at (or, for a plan image, a push of it). */
export type KnownDigest = { digest: string; since: Date; platforms: DigestPlatform[] };

export type BaseState = {
  reference: string;
  /** The plan image whose pushes are this base, or null for an outside image checked in its registry. */
  planImage: string | null;
  /** Newest first; the first is the current digest. Empty when never checked (or never pushed). */
  history: KnownDigest[];
  checkedAt: Date | null;
  error: string | null;
};

export type BuiltImage = {
  buildId: number;
  /** Per platform, as read back from the registry; diffIds null when not recorded. */
  platforms: { platform: string; digest: string | null; diffIds: string[] | null }[];
  /** All platforms' provenance materials; null when the image has no provenance (or it was not read). */
  materials: Material[] | null;
};

export type FreshnessState = "up-to-date" | "stale" | "unknown";

export type Freshness = {
  base: string;
  line: number;
  final: boolean;
  state: FreshnessState;
  evidence: "provenance" | "layers" | null;
  detail: string;
  /** The base digest the image was built from, when the evidence names one. */
  builtFrom: string | null;
  current: string | null;
  /** When the base moved away from what the image was built from (the next digest's first sighting). */
  movedAt: Date | null;
};

/** The images a Dockerfile's stages start from, normalised; scratch, digest-pinned and unresolved ones are not bases that can move. */
export function baseUses(facts: DockerfileFacts | null): { uses: BaseUse[]; skipped: string[] } {
  const uses: BaseUse[] = [];
  const skipped: string[] = [];
  for (const stage of facts?.stages ?? []) {
    if (!stage.image || stage.from.toLowerCase() === "scratch") continue;
    if (!stage.used) {
      skipped.push(`line ${stage.line}: ${stage.from} starts a stage the final image does not use (BuildKit does not build it)`);
      continue;
    }
    if (stage.unresolved.length > 0) {
      skipped.push(`line ${stage.line}: ${stage.from} needs ${stage.unresolved.join(", ")}, which ${stage.unresolved.length === 1 ? "has" : "have"} no value`);
      continue;
    }
    const reference = normalised(stage.from);
    if (reference === null) skipped.push(`line ${stage.line}: ${stage.from} is not an image reference`);
    else if (reference.includes("@")) skipped.push(`line ${stage.line}: ${stage.from} is pinned by digest and cannot move`);
    else if (!uses.some((u) => u.reference === reference && u.final === stage.final)) uses.push({ reference, written: stage.from, line: stage.line, final: stage.final });
  }
  return { uses, skipped };
}

/** docker.io/library/python:3.12 for "python:3.12"; :latest added where no tag is given; null when not a reference. */
export function normalised(reference: string): string | null {
  try {
    const parsed = parseReference(reference);
    return formatReference({ ...parsed, tag: parsed.tag ?? (parsed.digest ? null : "latest") });
  } catch (error) {
    if (error instanceof InvalidReferenceError) return null;
    throw error;
  }
}

export function judgeFreshness(use: BaseUse, base: BaseState | null, image: BuiltImage | null): Freshness {
  const verdict = (state: FreshnessState, detail: string, extra: Partial<Freshness> = {}): Freshness => ({
    base: use.reference,
    line: use.line,
    final: use.final,
    evidence: null,
    builtFrom: null,
    current: base?.history[0]?.digest ?? null,
    movedAt: null,
    ...extra,
    state,
    detail,
  });
  if (!image) return verdict("unknown", "no pushed build to compare");
  const current = base?.history[0];
  if (!base || !current) {
    if (base?.planImage) return verdict("unknown", `${base.planImage} has no pushed build yet`);
    return verdict("unknown", base?.error ? `not checked: ${base.error}` : "the base has not been checked yet");
  }
  const judged = byProvenance(use, base, image) ?? (use.final ? byLayers(base, image) : null);
  if (judged) {
    // "Current" is only as good as the last check: after a failed one it may have moved since.
    if (judged.state === "up-to-date" && base.error && !base.planImage) {
      return verdict("unknown", `${judged.detail} as of ${utc(base.checkedAt)}, but the last check failed (${base.error})`, judged);
    }
    return verdict(judged.state, judged.detail, judged);
  }
  const why = image.materials === null ? "the image has no provenance" : "its provenance does not name this base";
  if (!use.final) return verdict("unknown", `${why}, and a builder stage's base leaves no layers in the image to compare`);
  return verdict("unknown", `${why}, and no layers were recorded for build #${image.buildId} to compare`);
}

type Judged = Pick<Freshness, "state" | "detail" | "builtFrom" | "movedAt" | "evidence">;

function byProvenance(use: BaseUse, base: BaseState, image: BuiltImage): Judged | null {
  // Only a material for this very reference: another tag of the repository (the Dockerfile changed since) says nothing.
  const matched = (image.materials ?? []).filter((m) => m.reference === use.reference && m.digest !== null);
  if (matched.length === 0) return null;
  const current = base.history[0]!;
  const stale = matched.map((m) => m.digest!).find((digest) => !namesDigest(current, digest));
  if (stale === undefined) return { state: "up-to-date", evidence: "provenance", detail: `built from ${shortDigest(current.digest)}, what ${use.reference} points at now`, builtFrom: current.digest, movedAt: null };
  if (current.platforms.length === 0 && !base.history.some((known) => namesDigest(known, stale))) {
    return { state: "unknown", evidence: "provenance", detail: `the provenance names ${shortDigest(stale)}; the base's platforms could not be read to compare it with ${shortDigest(current.digest)}`, builtFrom: stale, movedAt: null };
  }
  return olderOrOther(base, stale, `the provenance names ${shortDigest(stale)}`, "provenance");
}

function byLayers(base: BaseState, image: BuiltImage): Judged | null {
  const current = base.history[0]!;
  // A base without layers is a prefix of anything: it proves nothing.
  const comparable = image.platforms.filter((p) => p.diffIds !== null && p.diffIds.length > 0 && (platformOf(current, p.platform)?.diffIds.length ?? 0) > 0);
  if (comparable.length === 0) return null;
  // The longest known base whose layers start the image's is what it was built on: after A → B (A plus a layer)
  // → back to A, an image built on B starts with A's layers too, yet it is B's.
  const builtOn = comparable.map((p) => ({ platform: p.platform, known: longestPrefix(base.history, p.platform, p.diffIds!) }));
  const behind = builtOn.filter((b) => b.known !== current);
  if (behind.length === 0) {
    return { state: "up-to-date", evidence: "layers", detail: `the layers of ${comparable.map((p) => p.platform).join(", ")} start with ${shortDigest(current.digest)}'s, what the tag points at now`, builtFrom: current.digest, movedAt: null };
  }
  const what = `the layers of ${behind.map((b) => b.platform).join(", ")} do not start with the current base's`;
  const older = behind.find((b) => b.known !== null)?.known;
  return older
    ? olderOrOther(base, older.digest, what, "layers")
    : { state: "stale", evidence: "layers", detail: `${what} (built from a digest older than the dashboard has seen, or from another image)`, builtFrom: null, movedAt: null };
}

function longestPrefix(history: readonly KnownDigest[], platform: string, diffIds: readonly string[]): KnownDigest | null {
  let best: { known: KnownDigest; length: number } | null = null;
  for (const known of history) {
    const layers = platformOf(known, platform)?.diffIds ?? [];
    if (layers.length > 0 && isPrefix(layers, diffIds) && (best === null || layers.length > best.length)) best = { known, length: layers.length };
  }
  return best?.known ?? null;
}

/** Stale, saying which older digest it was and since when the tag points elsewhere. */
function olderOrOther(base: BaseState, builtFrom: string, what: string, evidence: Judged["evidence"]): Judged {
  const index = base.history.findIndex((known) => namesDigest(known, builtFrom));
  const current = base.history[0]!;
  if (index > 0) {
    const movedAt = base.history[index - 1]!.since;
    const builtFromDigest = base.history[index]!.digest;
    return {
      state: "stale",
      detail: `${what}: built from ${shortDigest(builtFromDigest)}, which the tag pointed at until ${utc(movedAt)}; it points at ${shortDigest(current.digest)} now`,
      builtFrom: builtFromDigest,
      movedAt,
      evidence,
    };
  }
  return { state: "stale", evidence, detail: `${what}, not ${shortDigest(current.digest)} that ${base.reference} points at now`, builtFrom, movedAt: null };
}

/** BuildKit's materials name the digest it resolved the tag to: the index, or a platform's manifest. */
function namesDigest(known: KnownDigest, digest: string): boolean {
  return known.digest === digest || known.platforms.some((p) => p.digest === digest);
}

function platformOf(known: KnownDigest, platform: string): DigestPlatform | null {
  return known.platforms.find((p) => samePlatform(p.platform) === samePlatform(platform)) ?? null;
}

function isPrefix(base: readonly string[], image: readonly string[]): boolean {
  return base.length <= image.length && base.every((d, i) => image[i] === d);
}

function utc(at: Date | null): string {
  return at ? formatUtc(at, "minute") : "an unknown time";
}
