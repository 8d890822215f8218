// Image states and how they follow from build records. The build statuses themselves are the schema's enum
// (lib/db/vocabulary.ts).

/**
 * What the dashboard says about an image, derived from its latest build record:
 * - not_built: no build record at all
 * - queued / building: the latest build is waiting or running
 * - failed: the latest build failed, was cancelled or was interrupted by a restart
 * - built: the latest build succeeded but nothing was pushed
 * - pushed: the latest build succeeded and was pushed
 * What counts as complete is separate: an image is shipped once any build of it was pushed (lib/views/overview.ts),
 * so a rebuild that is running or failed never takes a pushed image out of the count.
 */
export const IMAGE_STATES = ["not_built", "queued", "building", "failed", "built", "pushed"] as const;
export type ImageState = (typeof IMAGE_STATES)[number];

export type BuildFacts = { status: string; pushed: boolean };

export function imageState(latest: BuildFacts | null | undefined): ImageState {
  if (!latest) return "not_built";
  switch (latest.status) {
    case "queued":
      return "queued";
    case "running":
      return "building";
    case "succeeded":
      return latest.pushed ? "pushed" : "built";
    default:
      return "failed";
  }
}

export const IMAGE_STATE_LABELS: Record<ImageState, string> = {
  not_built: "Not built",
  queued: "Queued",
  building: "Building",
  failed: "Failed",
  built: "Built, not pushed",
  pushed: "Pushed",
};

const PHASE_STATUSES = ["pending", "in_progress", "complete"] as const;
export type PhaseStatus = (typeof PHASE_STATUSES)[number];

export const PHASE_STATUS_LABELS: Record<PhaseStatus, string> = {
  pending: "Pending",
  in_progress: "In progress",
  complete: "Complete",
};

/**
 * A phase is complete when it has as many shipped images (images with a pushed build, whatever came after) as it
 * requires, in progress once any of its images has a build record, pending before.
 */
export function phaseStatus(required: number, shipped: number, started: boolean): PhaseStatus {
  if (required > 0 && shipped >= required) return "complete";
  return started ? "in_progress" : "pending";
}

/** Rounded to the nearest whole percent, but never shown as 100 until everything is done. */
export function percent(completed: number, required: number): number {
  if (required <= 0) return 0;
  if (completed >= required) return 100;
  return Math.min(99, Math.round((completed / required) * 100));
}
