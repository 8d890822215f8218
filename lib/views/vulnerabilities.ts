// Vulnerabilities as the pages and APIs show them: per pushed build its latest scan; for an image, the latest push's
// findings (critical first, fixable first within a severity), what is new and what was fixed since the push before,
// and counts per build over time. JSON-ready: dates as ISO strings.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { PUSHED_BUILD } from "@/lib/db/vocabulary";
import { countFindings, type SeverityCounts } from "@/lib/vulnerabilities/counts";
import { SEVERITIES, SEVERITY_RANK, type Severity } from "@/lib/vulnerabilities/severity";

export type ScanSummary = SeverityCounts & {
  id: number;
  build: number;
  scanner: string;
  scannerVersion: string | null;
  format: string;
  databaseBuiltAt: string | null;
  scannedAt: string | null;
  importedAt: string;
  digest: string | null;
  digestNote: string;
};

export type FindingView = {
  vulnerabilityId: string;
  package: string;
  installed: string;
  fixedIn: string | null;
  fixState: string;
  severity: Severity;
  cvss: number | null;
  title: string | null;
  url: string | null;
  firstSeenAt: string;
};

export type ImageVulnerabilities = {
  /** The latest push's latest scan; null when the latest push was not scanned (or nothing was pushed). */
  scan: ScanSummary | null;
  latestPush: number | null;
  findings: FindingView[];
  /** How many findings there are in all; `findings` holds the first MAX_SHOWN of them. */
  total: number;
  /** Of each severity, how many have a fixed version (over all findings, not only those shown). */
  fixableBySeverity: Record<Severity, number>;
  /** Compared with the scan of the push before by the same scanner (null: none). */
  since: { build: number; added: string[]; fixed: string[] } | null;
  /** Counts of each scanned push's latest scan, oldest first. */
  trend: (SeverityCounts & { build: number; at: string | null })[];
};

const MAX_SHOWN = 1_000;
const TREND_BUILDS = 30;

type ScanRow = {
  id: number;
  buildId: number;
  scanner: string;
  scannerVersion: string | null;
  format: string;
  databaseBuiltAt: Date | null;
  scannedAt: Date | null;
  importedAt: Date;
  digest: string | null;
  digestNote: string;
} & SeverityCounts;

function toSummary(row: ScanRow): ScanSummary {
  const { buildId, databaseBuiltAt, scannedAt, importedAt, ...rest } = row;
  return { ...rest, build: buildId, databaseBuiltAt: databaseBuiltAt?.toISOString() ?? null, scannedAt: scannedAt?.toISOString() ?? null, importedAt: importedAt.toISOString() };
}

/**
 * The scan each build is judged by (one statement): a JSON report before a SARIF one (SARIF from Grype carries no fix
 * state, so importing it after a Trivy report must not hide the Trivy one), then the latest.
 */
export async function latestScans(prisma: PrismaClient, buildIds: readonly number[]): Promise<Map<number, ScanSummary>> {
  if (buildIds.length === 0) return new Map();
  const rows = await prisma.vulnerabilityScan.findMany({ where: { buildId: { in: [...buildIds] } }, orderBy: { id: "desc" } });
  const chosen = new Map<number, (typeof rows)[number]>();
  for (const row of rows) {
    const held = chosen.get(row.buildId);
    if (!held || (held.format === "sarif" && row.format !== "sarif")) chosen.set(row.buildId, row);
  }
  return new Map([...chosen].map(([build, row]) => [build, toSummary(row)]));
}

export async function imageVulnerabilities(prisma: PrismaClient, name: string): Promise<ImageVulnerabilities | null> {
  const image = await prisma.image.findUnique({ where: { name }, select: { id: true } });
  if (!image) return null;
  const pushes = await prisma.build.findMany({ where: { imageId: image.id, ...PUSHED_BUILD }, orderBy: { id: "desc" }, take: TREND_BUILDS, select: { id: true, finishedAt: true } });
  const scans = await latestScans(prisma, pushes.map((b) => b.id));
  const latestPush = pushes[0]?.id ?? null;
  const scan = latestPush === null ? null : (scans.get(latestPush) ?? null);
  const trend = pushes
    .filter((b) => scans.has(b.id))
    .reverse()
    .map((b) => {
      const s = scans.get(b.id)!;
      return { build: b.id, at: b.finishedAt?.toISOString() ?? null, critical: s.critical, high: s.high, medium: s.medium, low: s.low, unknown: s.unknown, fixable: s.fixable, fixableCriticalHigh: s.fixableCriticalHigh, unknownFixCriticalHigh: s.unknownFixCriticalHigh };
    });
  const none = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  if (!scan) return { scan: null, latestPush, findings: [], total: 0, fixableBySeverity: none, since: null, trend };

  const rows = await prisma.vulnerabilityFinding.findMany({ where: { scanId: scan.id } });
  rows.sort((a, b) => rank(a) - rank(b) || (b.cvss ?? -1) - (a.cvss ?? -1) || a.vulnerabilityId.localeCompare(b.vulnerabilityId));
  // Compared only with the same scanner: another names ids and packages its own way (GHSA or CVE, source or binary).
  const previous = pushes.find((b) => b.id < scan.build && scans.get(b.id)?.scanner === scan.scanner);
  let since: ImageVulnerabilities["since"] = null;
  if (previous) {
    const before = await prisma.vulnerabilityFinding.findMany({ where: { scanId: scans.get(previous.id)!.id }, select: { vulnerabilityId: true, package: true } });
    const key = (f: { vulnerabilityId: string; package: string }) => `${f.vulnerabilityId} (${f.package})`;
    const now = new Set(rows.map(key));
    const then = new Set(before.map(key));
    since = { build: previous.id, added: [...now].filter((k) => !then.has(k)), fixed: [...then].filter((k) => !now.has(k)).sort() };
  }
  return {
    scan,
    latestPush,
    findings: rows.slice(0, MAX_SHOWN).map((f) => ({
      vulnerabilityId: f.vulnerabilityId,
      package: f.package,
      installed: f.installed,
      fixedIn: f.fixedIn,
      fixState: f.fixState,
      severity: f.severity as Severity,
      cvss: f.cvss,
      title: f.title,
      url: f.url,
      firstSeenAt: f.firstSeenAt.toISOString(),
    })),
    total: rows.length,
    fixableBySeverity: bySeverity(countFindings(rows.filter((f) => f.fixState === "fixed"))),
    since,
    trend,
  };
}

function bySeverity(counts: SeverityCounts): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, counts[s]])) as Record<Severity, number>;
}

/** Critical before high …, and within a severity the fixable ones first. */
function rank(f: { severity: string; fixState: string }): number {
  return (SEVERITY_RANK[f.severity as Severity] ?? 4) * 2 + (f.fixState === "fixed" ? 0 : 1);
}
