import clsx from "clsx";
import { IMAGE_STATE_LABELS, PHASE_STATUS_LABELS, type ImageState, type PhaseStatus } from "@/lib/builds/status";

const tone = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30",
  sky: "bg-sky-50 text-sky-800 ring-sky-600/25 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/30",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30",
  red: "bg-rose-50 text-rose-800 ring-rose-600/25 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30",
  slate: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/25",
} as const;

const dot = {
  green: "bg-emerald-500",
  sky: "bg-sky-500",
  amber: "bg-amber-500",
  red: "bg-rose-500",
  slate: "bg-slate-400",
} as const;

type Tone = keyof typeof tone;

const IMAGE_TONE: Record<ImageState, Tone> = {
  not_built: "slate",
  queued: "amber",
  building: "sky",
  failed: "red",
  built: "amber",
  pushed: "green",
};

const PHASE_TONE: Record<PhaseStatus, Tone> = { pending: "slate", in_progress: "sky", complete: "green" };

function Badge({ t, label, title }: { t: Tone; label: string; title?: string }) {
  return (
    <span
      title={title}
      className={clsx(
        "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        tone[t],
      )}
    >
      <span aria-hidden className={clsx("size-1.5 rounded-full", dot[t])} />
      {label}
    </span>
  );
}

export function ImageStateBadge({ state }: { state: ImageState }) {
  return <Badge t={IMAGE_TONE[state]} label={IMAGE_STATE_LABELS[state]} />;
}

export function PhaseStatusBadge({ status }: { status: PhaseStatus }) {
  return <Badge t={PHASE_TONE[status]} label={PHASE_STATUS_LABELS[status]} />;
}
