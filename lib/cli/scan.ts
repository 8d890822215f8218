// `lucid scan import --build N FILE`: keep a scanner's report with a pushed build (as POST /api/builds/{id}/scans).
// `lucid scan check FILE --fail-on critical,high [--fixable-only]`: the exit code a pipeline gate needs, read from the
// report alone, without a server or a database.
import { CheckoutPathError, readRegularFile } from "@/lib/checkout/checkout";
import { CLI_ACTOR } from "@/lib/audit/audit";
import { withDatabase } from "@/lib/cli/database";
import { importScan, ScanImportError } from "@/lib/vulnerabilities/import";
import { MAX_REPORT_BYTES, parseReport, ReportError, type ScanReport } from "@/lib/vulnerabilities/report";
import { countFindings } from "@/lib/vulnerabilities/counts";
import { SEVERITIES, SEVERITY_RANK, type Severity } from "@/lib/vulnerabilities/severity";

/** Exit codes: 0 pass, 1 the gate failed (check) or the import was refused, 2 the file or arguments are unusable. */
async function readReport(file: string): Promise<ScanReport | number> {
  let bytes: Buffer;
  try {
    // Not through a link: a report path given to CI should not read whatever a link points at.
    bytes = await readRegularFile(file, MAX_REPORT_BYTES, "it");
  } catch (error) {
    if (!(error instanceof CheckoutPathError)) throw error;
    console.error(`lucid: cannot read ${file}: ${error.message}`);
    return 2;
  }
  try {
    return parseReport(bytes);
  } catch (error) {
    if (!(error instanceof ReportError)) throw error;
    console.error(`lucid: ${file}: ${error.message}`);
    return 2;
  }
}

export async function scanImportCommand(file: string, opts: { build: string }): Promise<number> {
  const buildId = Number(opts.build);
  if (!Number.isInteger(buildId) || buildId < 1) {
    console.error(`lucid: --build must be a build number such as 42, not ${JSON.stringify(opts.build)}`);
    return 2;
  }
  const report = await readReport(file);
  if (typeof report === "number") return report;
  let refused = false;
  const code = await withDatabase(async (prisma) => {
    try {
      const scan = await importScan(prisma, buildId, report, CLI_ACTOR, "cli");
      const c = scan.counts;
      console.log(`${file}: ${scan.findings} finding(s) kept with build #${scan.build} (${scan.image}), ${scan.scanner} ${scan.format}${scan.replaced ? `, replacing scan #${scan.replaced}` : ""}.`);
      console.log(`  critical ${c.critical}, high ${c.high}, medium ${c.medium}, low ${c.low}, unknown ${c.unknown}; ${c.fixable} fixable (${c.fixableCriticalHigh} critical or high)`);
      console.log(`  ${scan.digestNote}`);
    } catch (error) {
      if (!(error instanceof ScanImportError)) throw error;
      console.error(`lucid: nothing was imported: ${error.message}`);
      refused = true;
    }
  });
  return refused ? 1 : code;
}

export type ScanCheckOptions = { failOn?: string; fixableOnly?: boolean };

export async function scanCheckCommand(file: string, opts: ScanCheckOptions): Promise<number> {
  const failOn = parseSeverities(opts.failOn ?? "critical,high");
  if (typeof failOn === "string") {
    console.error(`lucid: --fail-on ${failOn}`);
    return 2;
  }
  const report = await readReport(file);
  if (typeof report === "number") return report;
  const counts = countFindings(report.findings);
  // Under --fixable-only a finding whose report cannot say whether a fix exists counts: a gate fails closed.
  const failing = report.findings
    .filter((f) => failOn.includes(f.severity) && (!opts.fixableOnly || f.fixState === "fixed" || f.fixState === "unknown"))
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  console.log(`${file}: ${report.scanner.name} ${report.format}, ${report.findings.length} finding(s): critical ${counts.critical}, high ${counts.high}, medium ${counts.medium}, low ${counts.low}, unknown ${counts.unknown}; ${counts.fixable} fixable.`);
  const gate = `${failOn.join(", ")}${opts.fixableOnly ? ", fixable only" : ""}`;
  if (failing.length === 0) {
    console.log(`pass: nothing at ${gate}.`);
    return 0;
  }
  for (const f of failing.slice(0, 20)) console.log(`  ${f.severity.padEnd(8)} ${f.vulnerabilityId} ${f.package} ${f.installed}${f.fixedIn ? ` → fixed in ${f.fixedIn}` : f.fixState === "unknown" ? " (fix state not in the report)" : ""}`);
  if (failing.length > 20) console.log(`  … and ${failing.length - 20} more`);
  console.log(`fail: ${failing.length} finding(s) at ${gate}.`);
  return 1;
}

function parseSeverities(value: string): Severity[] | string {
  const wanted = value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = wanted.find((s) => !(SEVERITIES as readonly string[]).includes(s));
  if (bad !== undefined) return `takes severities from ${SEVERITIES.join(", ")} separated by commas; ${JSON.stringify(bad)} is not one`;
  if (wanted.length === 0) return "needs at least one severity";
  return wanted as Severity[];
}
