// no-fixable-critical-high (error), Docker Scout's policy of that name: the latest push's latest scan lists no
// critical or high vulnerability that has a fixed version. Without a scan it is "not checked", never passed.
import type { Finding } from "@/lib/compliance/types";
import type { SeverityCounts } from "@/lib/vulnerabilities/counts";

export type ScanEvidence = {
  /** The latest pushed build, or null when there is none. */
  buildId: number | null;
  /** Its latest scan's counts and scanner, or null when it was not scanned. */
  scan: (SeverityCounts & { scanner: string; databaseBuiltAt: string | null }) | null;
};

export const NO_FIXABLE_CRITICAL_HIGH = {
  id: "no-fixable-critical-high",
  severity: "error",
  summary: "the latest push's scan lists no critical or high vulnerability with a fix available",
} as const;

export function analyseScanEvidence({ buildId, scan }: ScanEvidence): Finding {
  const finding = (status: Finding["status"], message: string): Finding => ({
    rule: NO_FIXABLE_CRITICAL_HIGH.id,
    status,
    severity: NO_FIXABLE_CRITICAL_HIGH.severity,
    line: null,
    message,
    excerpt: null,
    source: "scan",
  });
  if (buildId === null) return finding("n/a", "no pushed build to scan");
  if (!scan) return finding("n/a", `not checked: no scan report was imported for build #${buildId} (POST /api/builds/${buildId}/scans or npx lucid scan import)`);
  const by = `${scan.scanner}${scan.databaseBuiltAt ? `, database of ${scan.databaseBuiltAt.slice(0, 10)}` : ""}`;
  if (scan.fixableCriticalHigh > 0) {
    return finding("fail", `${scan.fixableCriticalHigh} critical or high vulnerabilit${scan.fixableCriticalHigh === 1 ? "y has" : "ies have"} a fix (${scan.critical} critical, ${scan.high} high in all; ${by})`);
  }
  if (scan.unknownFixCriticalHigh > 0) {
    return finding("n/a", `not checked: ${scan.unknownFixCriticalHigh} critical or high vulnerabilit${scan.unknownFixCriticalHigh === 1 ? "y" : "ies"} in a report that cannot say whether a fix exists (${by}; SARIF from Grype carries no fix state: import its JSON report)`);
  }
  const open = scan.critical + scan.high;
  return finding("pass", open === 0 ? `no critical or high vulnerability (${by})` : `${open} critical or high, none with a fix yet (${by})`);
}
