// The URL-safe name of each planned image, derived from its repository and unique in the plan.
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";
import type { ImageDraft } from "@/lib/plan/document/image";
import { IssueLog } from "@/lib/plan/document/issues";
import type { PhaseDraft, StepDraft } from "@/lib/plan/document/outline";

export function assignImageNames(phases: PhaseDraft[], log: IssueLog): Map<ImageDraft, string> {
  const drafts = phases.flatMap((phase) => phase.steps.map((step) => ({ step, image: step.image })));
  const images = drafts.flatMap(({ step, image }) => (image ? [{ step, image }] : []));
  const sharing = countRepositories(images.map(({ image }) => image));
  const names = new Map<ImageDraft, string>();
  const firstUse = new Map<string, { step: StepDraft; image: ImageDraft }>();
  for (const entry of images) {
    const name = imageName(entry.image, (sharing.get(entry.image.repository) ?? 0) > 1);
    names.set(entry.image, name);
    if (!IMAGE_NAME_PATTERN.test(name)) {
      log.error(entry.image.line, `image name "${name}" derived from ${entry.image.repository} is not URL-safe (must match ${IMAGE_NAME_PATTERN.source})`);
      continue;
    }
    const earlier = firstUse.get(name);
    if (earlier) {
      log.error(
        entry.image.line,
        `duplicate image name "${name}": step ${earlier.step.number} (line ${earlier.image.line}) and step ${entry.step.number} (line ${entry.image.line})`,
      );
    } else {
      firstUse.set(name, entry);
    }
  }
  return names;
}

function countRepositories(images: ImageDraft[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const image of images) counts.set(image.repository, (counts.get(image.repository) ?? 0) + 1);
  return counts;
}

/**
 * The repository's last path segment; when several images share a repository, the first
 * fixed tag tells them apart ("python-distroless-arm64" -> "lucid-base-python-distroless").
 */
function imageName(image: ImageDraft, repositoryIsShared: boolean): string {
  const base = image.repository.slice(image.repository.lastIndexOf("/") + 1);
  if (!repositoryIsShared) return base;
  const fixedTag = image.refs.find((ref) => !ref.templated)?.tag ?? "";
  const variant = fixedTag.replace(/-(arm64|amd64)$/, "");
  return variant === "" || variant === "latest" ? base : `${base}-${variant}`;
}
