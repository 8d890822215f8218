// How compliance statuses read: their tone (components/ui/tone.ts) and their words.
import type { Tone } from "@/components/ui/tone";
import type { FindingStatus, ImageComplianceStatus } from "@/lib/compliance/types";

export const IMAGE_STATUS_TONE: Record<ImageComplianceStatus, Tone> = { pass: "green", warn: "amber", fail: "red", unknown: "slate" };
export const FINDING_STATUS_TONE: Record<FindingStatus, Tone> = { pass: "green", warn: "amber", fail: "red", "n/a": "slate" };

export const IMAGE_STATUS_LABEL: Record<ImageComplianceStatus, string> = {
  pass: "Compliant",
  warn: "Warnings",
  fail: "Non-compliant",
  unknown: "Not checked",
};

export const FINDING_STATUS_LABEL: Record<FindingStatus, string> = { pass: "pass", fail: "fail", warn: "warning", "n/a": "n/a" };
