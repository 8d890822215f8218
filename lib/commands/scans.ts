// Importing a scanner's report: the one way, for the API route and the CLI alike. The report is read and judged
// before anything is written; a bad one changes nothing and says why.
import type { Actor } from "@/lib/audit/audit";
import { prisma } from "@/lib/db/client";
import { importScan, ScanImportError, type ImportedScan } from "@/lib/vulnerabilities/import";
import { parseReport, ReportError } from "@/lib/vulnerabilities/report";

export async function importScanReport(actor: Actor, buildId: number, bytes: Buffer, source: "api" | "cli"): Promise<ImportedScan> {
  let report;
  try {
    report = parseReport(bytes);
  } catch (error) {
    if (error instanceof ReportError) throw new ScanImportError(422, error.message);
    throw error;
  }
  return importScan(prisma, buildId, report, actor, source);
}
