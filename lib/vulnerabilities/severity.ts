// One severity scale for every scanner (documented in README, "Vulnerabilities"):
//   Trivy CRITICAL/HIGH/MEDIUM/LOW/UNKNOWN and Grype Critical/High/Medium/Low/Unknown map by name;
//   Grype's Negligible is low;
//   SARIF: the rule's `security-severity` score by CVSS bands (≥ 9 critical, ≥ 7 high, ≥ 4 medium, > 0 low), as
//   GitHub reads it; without a score the result's level (error high, warning medium, note low);
//   anything else is unknown, never dropped.
export const SEVERITIES = ["critical", "high", "medium", "low", "unknown"] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityOf(value: string | null | undefined): Severity {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "negligible") return "low";
  return (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : "unknown";
}

export function severityFromCvss(score: number): Severity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "medium";
  if (score > 0) return "low";
  return "unknown";
}

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, unknown: 4 };
