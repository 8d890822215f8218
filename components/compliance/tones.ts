// How compliance reads: one vocabulary (lib/compliance/status.ts findingResult) with its tones and words.
import type { Tone } from "@/components/ui/tone";
import type { FindingResult, ImageComplianceStatus, Severity } from "@/lib/compliance/types";

export const IMAGE_STATUS_TONE: Record<ImageComplianceStatus, Tone> = { pass: "green", warn: "amber", fail: "red", unknown: "slate" };
export const RESULT_TONE: Record<FindingResult, Tone> = { pass: "green", warning: "amber", fail: "red", not_checked: "slate" };

export const IMAGE_STATUS_LABEL: Record<ImageComplianceStatus, string> = {
  pass: "Compliant",
  warn: "Warnings",
  fail: "Non-compliant",
  unknown: "Not checked",
};

export const RESULT_LABEL: Record<FindingResult, string> = { pass: "pass", warning: "warning", fail: "fail", not_checked: "not checked" };

/** A rule's severity as importance words, so that "warning" means only a result, never a severity. */
export const SEVERITY_LABEL: Record<Severity, string> = { error: "high", warning: "medium", info: "low" };
