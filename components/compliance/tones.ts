// Colours for compliance statuses, light and dark, matching components/status-badge.tsx.
import type { FindingStatus, ImageComplianceStatus } from "@/lib/compliance/types";

export const PILL = "inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset";

const green = "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30";
const amber = "bg-amber-50 text-amber-800 ring-amber-600/25 dark:bg-amber-500/10 dark:text-amber-300 dark:ring-amber-400/30";
const red = "bg-rose-50 text-rose-800 ring-rose-600/25 dark:bg-rose-500/10 dark:text-rose-300 dark:ring-rose-400/30";
const slate = "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-500/10 dark:text-slate-300 dark:ring-slate-400/25";

export const IMAGE_STATUS_TONE: Record<ImageComplianceStatus, string> = { pass: green, warn: amber, fail: red, unknown: slate };
export const FINDING_STATUS_TONE: Record<FindingStatus, string> = { pass: green, warn: amber, fail: red, "n/a": slate };

export const IMAGE_STATUS_LABEL: Record<ImageComplianceStatus, string> = {
  pass: "Compliant",
  warn: "Warnings",
  fail: "Non-compliant",
  unknown: "Not checked",
};

export const FINDING_STATUS_LABEL: Record<FindingStatus, string> = { pass: "pass", fail: "fail", warn: "warning", "n/a": "n/a" };
