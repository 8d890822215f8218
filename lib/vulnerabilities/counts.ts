// Counts by severity, with the part that has a fix: what the overview, the page and the rule all read.
import type { FixState } from "@/lib/vulnerabilities/report";
import { SEVERITIES, type Severity } from "@/lib/vulnerabilities/severity";

/** `unknownFixCriticalHigh`: critical or high findings whose report cannot say whether a fix exists (SARIF from Grype). */
export type SeverityCounts = Record<Severity, number> & { fixable: number; fixableCriticalHigh: number; unknownFixCriticalHigh: number };

export function countFindings(findings: readonly { severity: Severity | string; fixState: FixState | string }[]): SeverityCounts {
  const counts: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, fixable: 0, fixableCriticalHigh: 0, unknownFixCriticalHigh: 0 };
  for (const f of findings) {
    const severity = (SEVERITIES as readonly string[]).includes(f.severity) ? (f.severity as Severity) : "unknown";
    counts[severity] += 1;
    const criticalOrHigh = severity === "critical" || severity === "high";
    if (f.fixState === "fixed") {
      counts.fixable += 1;
      if (criticalOrHigh) counts.fixableCriticalHigh += 1;
    } else if (f.fixState === "unknown" && criticalOrHigh) counts.unknownFixCriticalHigh += 1;
  }
  return counts;
}

export function totalOf(counts: Record<Severity, number>): number {
  return SEVERITIES.reduce((sum, s) => sum + counts[s], 0);
}
