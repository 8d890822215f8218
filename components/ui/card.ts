// The card surface every panel sits on.
const surface = "rounded-xl border border-slate-200 bg-white shadow-sm dark:border-slate-800 dark:bg-slate-900";

export const CARD = {
  /** Content runs to the edges (tables, lists with their own padding). */
  bare: surface,
  /** A table that may scroll sideways inside the card. */
  // relative: an sr-only label inside (absolutely placed) scrolls with the table instead of widening the page.
  table: `${surface} relative overflow-x-auto`,
  padded: `${surface} p-4`,
  roomy: `${surface} p-5`,
} as const;
