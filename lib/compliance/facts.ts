// Facts about the final image that several rules share: its real base and its effective user.
import type { Instruction } from "@/lib/compliance/parse/model";
import { effectiveInstruction, lookupAt, type AnalysedDockerfile, type FromLine, type Stage } from "@/lib/compliance/dockerfile";
import { substitute } from "@/lib/compliance/substitute";

export type FinalBase = {
  /** After ARG substitution, e.g. gcr.io/distroless/python3-debian12:latest. */
  image: string;
  /** Global ARGs without a value that the base depends on. */
  unresolved: string[];
  /** The stage whose FROM names it. */
  stage: Stage;
  /** The FROM instructions from the final stage down to that one, in file order. */
  froms: Instruction[];
};

/** The image the final stage really starts from, following stage aliases and ARG values. */
export function finalBase(dockerfile: AnalysedDockerfile): FinalBase {
  const { root, finalChain } = dockerfile;
  return {
    image: root.from.image,
    unresolved: root.from.unresolved,
    stage: root,
    froms: [...finalChain].reverse().map((s) => s.from.instruction),
  };
}

/** A note for a FROM that names a stage defined only later, which BuildKit pulls as an image instead. */
export function forwardNote(from: FromLine): string {
  if (from.laterStageLine === null) return "";
  return ` (a stage named ${from.image} is only defined later, at line ${from.laterStageLine}; FROM cannot refer forward, so this pulls an image named ${from.image})`;
}

/**
 * Whether a base image is one of the allowed ones. An entry ending in "/" is a prefix; any other
 * entry is one image, matched exactly or with a tag or digest (so "scratch" does not allow "scratchy").
 */
export function isAllowedBase(image: string, allowed: readonly string[]): boolean {
  const name = image.toLowerCase();
  return allowed.some((entry) => {
    const e = entry.toLowerCase();
    if (e === "") return false;
    if (e.endsWith("/")) return name.startsWith(e);
    return name === e || name.startsWith(`${e}:`) || name.startsWith(`${e}@`);
  });
}

export type EffectiveUser = {
  instruction: Instruction;
  stage: Stage;
  /** As written, e.g. ${APP_UID}:65532. */
  written: string;
  /** After substitution, e.g. 65532:65532. */
  value: string;
  unresolved: string[];
};

/** The USER the final image runs as: the last USER of the final stage, else of the local stages it builds on. */
export function effectiveUser(dockerfile: AnalysedDockerfile): EffectiveUser | null {
  const found = effectiveInstruction(dockerfile, "USER");
  if (!found) return null;
  const written = (found.instruction.getArgumentsContent() ?? "").trim();
  const { value, unresolved } = substitute(written, lookupAt(dockerfile, found.stage, found.instruction), dockerfile.escape);
  return { instruction: found.instruction, stage: found.stage, written, value: value.trim(), unresolved };
}

export type UserSpec = { user: string; group: string | null };

export function parseUser(value: string): UserSpec {
  const colon = value.indexOf(":");
  return colon < 0 ? { user: value, group: null } : { user: value.slice(0, colon), group: value.slice(colon + 1) };
}

/** root by name or uid 0 (also written 00). */
export function isRootUser(user: string): boolean {
  return user === "root" || /^0+$/.test(user);
}

// What distroless images run as. Their /etc/passwd has root (0), nonroot (65532) and nobody (65534), each with a
// group of the same id; the :nonroot and :debug-nonroot tags (and their -amd64/-arm64 variants) set USER 65532,
// every other tag (latest, debug, none) leaves root. https://github.com/GoogleContainerTools/distroless#nonroot
const DISTROLESS = "gcr.io/distroless/";
const DISTROLESS_ACCOUNTS: Record<string, string> = { root: "0", nonroot: "65532", nobody: "65534" };

function isDistroless(image: string): boolean {
  return image.toLowerCase().startsWith(DISTROLESS);
}

/** The tag of an image reference ("nonroot" in gcr.io/distroless/static:nonroot@sha256:…), or null. */
function tagOf(image: string): string | null {
  const withoutDigest = image.split("@")[0]!;
  const slash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  return colon > slash ? withoutDigest.slice(colon + 1) : null;
}

/**
 * The user a distroless image runs as when the Dockerfile sets none: "65532:65532" for a nonroot tag, "0:0"
 * otherwise (an untagged reference is :latest). Null for an image that is not distroless, or pinned by digest
 * alone (the tag that would say is not written).
 */
function distrolessDefaultUser(image: string): string | null {
  if (!isDistroless(image)) return null;
  const tag = tagOf(image);
  if (tag === null) return image.includes("@") ? null : "0:0";
  return /(^|-)nonroot(-|$)/.test(tag.toLowerCase()) ? "65532:65532" : "0:0";
}

/** What the final image runs as when no USER is set, where the (resolved) base says: distroless only, else null. */
export function baseDefaultUser(base: FinalBase): string | null {
  return base.unresolved.length === 0 ? distrolessDefaultUser(base.image) : null;
}

/**
 * A USER value as ids where the base image is known: on distroless, the names of its accounts become their ids
 * ("nonroot" is 65532:65532, its group taken from /etc/passwd); elsewhere it is returned as written.
 */
export function resolveAccount(value: string, baseImage: string): UserSpec & { mapped: boolean } {
  const spec = parseUser(value);
  if (!isDistroless(baseImage)) return { ...spec, mapped: false };
  const uid = DISTROLESS_ACCOUNTS[spec.user];
  const gid = spec.group === null ? null : (DISTROLESS_ACCOUNTS[spec.group] ?? spec.group);
  if (uid === undefined) return { user: spec.user, group: gid, mapped: gid !== spec.group };
  // A named account with no group runs with its primary group from /etc/passwd: the same id in distroless.
  return { user: uid, group: gid ?? uid, mapped: true };
}
