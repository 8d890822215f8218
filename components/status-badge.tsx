import { Badge } from "@/components/ui/badge";
import type { Tone } from "@/components/ui/tone";
import { IMAGE_STATE_LABELS, PHASE_STATUS_LABELS, type ImageState, type PhaseStatus } from "@/lib/builds/status";

const IMAGE_TONE: Record<ImageState, Tone> = {
  not_built: "slate",
  queued: "amber",
  building: "sky",
  failed: "red",
  built: "amber",
  pushed: "green",
};

const PHASE_TONE: Record<PhaseStatus, Tone> = { pending: "slate", in_progress: "sky", complete: "green" };

export function ImageStateBadge({ state }: { state: ImageState }) {
  return <Badge tone={IMAGE_TONE[state]}>{IMAGE_STATE_LABELS[state]}</Badge>;
}

export function PhaseStatusBadge({ status }: { status: PhaseStatus }) {
  return <Badge tone={PHASE_TONE[status]}>{PHASE_STATUS_LABELS[status]}</Badge>;
}
