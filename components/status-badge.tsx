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

const ATTEMPT_WORDS: Partial<Record<ImageState, { tone: Tone; label: string }>> = {
  queued: { tone: "amber", label: "rebuild queued" },
  building: { tone: "sky", label: "rebuilding" },
  failed: { tone: "red", label: "last rebuild failed" },
  built: { tone: "amber", label: "rebuilt, not pushed" },
};

/**
 * An image's progress as it counts: "Pushed" once any build was pushed, with the latest attempt beside it when that
 * is something else ("Pushed · rebuilding", "Pushed · last rebuild failed", its reason on hover); before the first
 * push, the latest attempt's state.
 */
export function ImageProgressBadge({ state, shipped, reason }: { state: ImageState; shipped: boolean; reason?: string | null }) {
  const attempt = ATTEMPT_WORDS[state];
  if (!shipped || !attempt) return <ImageStateBadge state={state} />;
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-1" data-progress={`pushed-${state}`}>
      <Badge tone="green">{IMAGE_STATE_LABELS.pushed}</Badge>
      <Badge tone={attempt.tone} dot={false} title={reason ?? undefined}>
        {attempt.label}
      </Badge>
    </span>
  );
}
