// From findings to one status per image.
import type { Finding, FindingCounts, ImageComplianceStatus, PlanCompliance, PlanComplianceSummary } from "@/lib/compliance/types";

/**
 * fail: an error-severity rule failed, or the Dockerfile exists but could not be parsed;
 * warn: a warning-severity rule failed, or any rule warned; pass: everything that applied passed;
 * unknown: no rule applied at all.
 */
export function complianceStatus(findings: readonly Finding[], parseError: string | null = null): ImageComplianceStatus {
  if (parseError !== null) return "fail";
  if (findings.some((f) => f.status === "fail" && f.severity === "error")) return "fail";
  if (findings.some((f) => f.status === "fail" || f.status === "warn")) return "warn";
  if (findings.some((f) => f.status === "pass")) return "pass";
  return "unknown";
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const counts: FindingCounts = { pass: 0, fail: 0, warn: 0, "n/a": 0 };
  for (const f of findings) counts[f.status] += 1;
  return counts;
}

/** The plan's compliance as the overview shows it: each image's status and counts, the totals, no findings. */
export function summarizeCompliance(compliance: PlanCompliance): PlanComplianceSummary {
  return {
    ...compliance,
    images: compliance.images.map((image) => ({ name: image.name, status: image.status, counts: countFindings(image.findings) })),
  };
}
