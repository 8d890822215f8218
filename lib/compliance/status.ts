// From findings to one status per image.
import type { Finding, FindingResult, ImageComplianceStatus, PlanCompliance, PlanComplianceSummary, ResultCounts } from "@/lib/compliance/types";

/** A finding's result (see FindingResult): a failed rule of lower severity than error reads as a warning. */
export function findingResult(finding: Pick<Finding, "status" | "severity">): FindingResult {
  if (finding.status === "fail") return finding.severity === "error" ? "fail" : "warning";
  if (finding.status === "warn") return "warning";
  return finding.status === "pass" ? "pass" : "not_checked";
}

const RESULT_ORDER: Record<FindingResult, number> = { fail: 0, warning: 1, pass: 2, not_checked: 3 };

/** Failures first, then warnings, passes and what was not checked; the rules' own order within each. */
export function byResult<T extends Pick<Finding, "status" | "severity">>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => RESULT_ORDER[findingResult(a)] - RESULT_ORDER[findingResult(b)]);
}

/**
 * fail: an error-severity rule failed, or the Dockerfile exists but could not be parsed;
 * warn: a warning-severity rule failed, or any rule warned; pass: everything that applied passed;
 * unknown: no rule applied at all.
 */
export function complianceStatus(findings: readonly Finding[], parseError: string | null = null): ImageComplianceStatus {
  if (parseError !== null) return "fail";
  const counts = countResults(findings);
  if (counts.fail > 0) return "fail";
  if (counts.warning > 0) return "warn";
  return counts.pass > 0 ? "pass" : "unknown";
}

export function countResults(findings: readonly Pick<Finding, "status" | "severity">[]): ResultCounts {
  const counts: ResultCounts = { fail: 0, warning: 0, pass: 0, not_checked: 0 };
  for (const f of findings) counts[findingResult(f)] += 1;
  return counts;
}

/** The plan's compliance as the overview shows it: each image's status and counts, the totals, no findings. */
export function summarizeCompliance(compliance: PlanCompliance): PlanComplianceSummary {
  return {
    ...compliance,
    images: compliance.images.map((image) => ({ name: image.name, status: image.status, counts: countResults(image.findings) })),
  };
}
