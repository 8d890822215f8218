// The one tone map: every badge, pill and dot in the dashboard takes its colours from here, light and dark.
export const TONES = {
  green: { pill: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30", dot: "bg-emerald-500" },
  sky: { pill: "bg-sky-50 text-sky-800 ring-sky-600/25 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/30", dot: "bg-sky-500" },
  amber: { pill: "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30", dot: "bg-amber-500" },
  red: { pill: "bg-rose-50 text-rose-800 ring-rose-600/25 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30", dot: "bg-rose-500" },
  slate: { pill: "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/25", dot: "bg-slate-400" },
  /** Not measured at all (e.g. not polled): an outline, so it never reads as a state. */
  outline: { pill: "bg-white text-slate-500 ring-slate-300 dark:bg-transparent dark:text-slate-400 dark:ring-slate-600", dot: "border border-slate-400 bg-transparent" },
} as const;

export type Tone = keyof typeof TONES;

/** The shape every pill shares; the tone adds the colours. */
export const PILL = "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset";

/** A message that reports a refusal or a success, or says something in passing. */
export const MESSAGE = { error: "text-sm text-rose-700 dark:text-rose-400", ok: "text-sm text-emerald-700 dark:text-emerald-400", muted: "text-sm text-slate-600 dark:text-slate-300" } as const;
