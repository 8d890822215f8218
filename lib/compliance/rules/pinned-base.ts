// pinned-base (warning): every external base image (after ARG substitution) is pinned.
//   by digest (image@sha256:...)         pass: the build always starts from the same bytes
//   by a tag other than latest (:3.11)   warn: tags move, but deliberately
//   by :latest or no tag at all          fail: the base changes under you between builds
// Stages built FROM another stage and FROM scratch pull nothing and are not counted. The rule's
// status is its worst base.
import type { From } from "@/lib/compliance/parse/model";
import type { Stage } from "@/lib/compliance/dockerfile";
import { InvalidReferenceError, splitReference } from "@/lib/registry/reference";
import { forwardNote } from "@/lib/compliance/facts";
import { excerptOf, listed, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";
import type { FindingStatus } from "@/lib/compliance/types";

type Pin = { status: Exclude<FindingStatus, "n/a">; image: string; line: number; from: From; why: string };

const RANK: Record<Pin["status"], number> = { pass: 0, warn: 1, fail: 2 };

export const pinnedBase: DockerfileRule = {
  id: "pinned-base",
  severity: "warning",
  summary: "every external base image is pinned by digest",
  check: withDockerfile((dockerfile) => {
    const pins = dockerfile.stages.filter((s) => s.parent === null && s.from.image.toLowerCase() !== "scratch").map(pinOf);
    if (pins.length === 0) return { status: "pass", message: "no external base image (scratch or local stages only)" };
    const worst = Math.max(...pins.map((p) => RANK[p.status]));
    const deciding = unique(pins.filter((p) => RANK[p.status] === worst));
    const status = deciding[0]!.status;
    const described = listed(unique(pins).map((p) => `${p.image} ${p.why} (line ${p.line})`));
    return {
      status,
      line: deciding[0]!.line,
      excerpt: excerptOf(dockerfile, deciding.slice(0, 3).map((p) => p.from)),
      message: status === "pass" ? `every base is pinned by digest: ${described}` : described,
    };
  }),
};

function pinOf(stage: Stage): Pin {
  const { image, line, instruction: from, unresolved, written } = stage.from;
  const base = { image, line, from };
  if (unresolved.length > 0) return { ...base, image: written, status: "warn", why: `needs ${unresolved.join(", ")}, which has no default: cannot tell what is pulled` };
  let tag: string | null;
  let digest: string | null;
  try {
    ({ tag, digest } = splitReference(image));
  } catch (error) {
    if (!(error instanceof InvalidReferenceError)) throw error;
    return { ...base, status: "fail", why: `is not a valid image reference (${error.reason})` };
  }
  if (digest !== null) return { ...base, status: "pass", why: "is pinned by digest" };
  if (tag === null) return { ...base, status: "fail", why: `has no tag, so it means :latest${forwardNote(stage.from)}` };
  if (tag === "latest") return { ...base, status: "fail", why: "uses :latest" };
  return { ...base, status: "warn", why: "is pinned to a tag only, not a digest" };
}

/** One entry per image, at its first line. */
function unique(pins: Pin[]): Pin[] {
  const seen = new Map<string, Pin>();
  for (const pin of pins) if (!seen.has(pin.image)) seen.set(pin.image, pin);
  return [...seen.values()];
}
