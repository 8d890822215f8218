// Keeps a scanner's report with the pushed build it describes: the report must name one of the build's digests
// (the pushed index, a platform manifest, or a platform's config, which scanners call the image ID), or name none,
// which is said. All or nothing, in one transaction; a report of the same scanner on the same digest replaces the
// earlier one (a re-scan with a newer database), keeping when each finding was first seen.
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { audit, type Actor } from "@/lib/audit/audit";
import { takeWriteLock } from "@/lib/db/write-lock";
import type { ScanReport } from "@/lib/vulnerabilities/report";
import { countFindings } from "@/lib/vulnerabilities/counts";
import { shortDigest } from "@/lib/registry/reference";

export class ScanImportError extends Error {
  override name = "ScanImportError";
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

export type ImportedScan = {
  id: number;
  build: number;
  image: string;
  scanner: string;
  format: string;
  digest: string | null;
  digestNote: string;
  findings: number;
  counts: ReturnType<typeof countFindings>;
  replaced: number | null;
};

// Multi-row INSERT statements, as lib/health/record.ts writes samples: createMany costs ~190 µs a row here, which put
// a 10,000-finding report at 2 s. Times are bound as Dates (epoch milliseconds in SQLite, lib/db/client.ts).
// 11 parameters a row: 500 rows stay far below SQLite's limit of 32,766.
const ROWS_PER_STATEMENT = 500;

async function insertFindings(tx: Prisma.TransactionClient, scanId: number, findings: readonly ScanReport["findings"][number][], firstSeen: (f: ScanReport["findings"][number]) => Date): Promise<void> {
  for (let i = 0; i < findings.length; i += ROWS_PER_STATEMENT) {
    const rows = findings
      .slice(i, i + ROWS_PER_STATEMENT)
      .map((f) => Prisma.sql`(${scanId}, ${f.vulnerabilityId}, ${f.package}, ${f.installed}, ${f.fixedIn}, ${f.fixState}, ${f.severity}, ${f.cvss}, ${f.title}, ${f.url}, ${firstSeen(f)})`);
    await tx.$executeRaw`INSERT INTO "VulnerabilityFinding" ("scanId", "vulnerabilityId", "package", "installed", "fixedIn", "fixState", "severity", "cvss", "title", "url", "firstSeenAt") VALUES ${Prisma.join(rows)}`;
  }
}

export async function importScan(prisma: PrismaClient, buildId: number, report: ScanReport, by: Actor, source: "api" | "cli"): Promise<ImportedScan> {
  const build = await prisma.build.findUnique({
    where: { id: buildId },
    select: { id: true, imageId: true, pushed: true, status: true, digest: true, image: { select: { name: true } }, sizes: { select: { platform: true, digest: true, configDigest: true } } },
  });
  if (!build) throw new ScanImportError(404, `there is no build #${buildId}`);
  if (!build.pushed) throw new ScanImportError(409, `build #${buildId} pushed nothing: a scan report belongs to a pushed build`);
  // What the pages judge is the latest succeeded push; a push that failed verification (a platform missing) is not it.
  if (build.status !== "succeeded") throw new ScanImportError(409, `build #${buildId} ${build.status}: scan reports are kept for succeeded pushes`);
  const match = matchDigest(report, build);
  const counts = countFindings(report.findings);
  const now = new Date();

  return prisma.$transaction(
    async (tx) => {
      await takeWriteLock(tx);
      // When each (id, package) was first seen for this image, over every earlier scan of any of its builds.
      const earlier = await tx.vulnerabilityFinding.groupBy({
        by: ["vulnerabilityId", "package"],
        where: { scan: { build: { imageId: build.imageId } } },
        _min: { firstSeenAt: true },
      });
      const firstSeen = new Map(earlier.map((e) => [`${e.vulnerabilityId}\u0000${e.package}`, e._min.firstSeenAt ?? now]));
      const previous = await tx.vulnerabilityScan.findFirst({ where: { buildId, scanner: report.scanner.name, digest: match.digest }, select: { id: true } });
      if (previous) await tx.vulnerabilityScan.delete({ where: { id: previous.id } });
      const scan = await tx.vulnerabilityScan.create({
        data: {
          buildId,
          scanner: report.scanner.name,
          scannerVersion: report.scanner.version,
          format: report.format,
          databaseBuiltAt: dateOrNull(report.scanner.databaseBuiltAt),
          scannedAt: dateOrNull(report.scannedAt),
          digest: match.digest,
          digestNote: match.note,
          importedBy: by,
          ...counts,
        },
      });
      await insertFindings(tx, scan.id, report.findings, (f) => firstSeen.get(`${f.vulnerabilityId}\u0000${f.package}`) ?? now);
      await audit(by, "scan.import", `build #${buildId}`, { source, image: build.image.name, scanner: report.scanner.name, findings: report.findings.length, digest: match.digest, replaced: previous?.id ?? null }, tx);
      return {
        id: scan.id,
        build: buildId,
        image: build.image.name,
        scanner: report.scanner.name,
        format: report.format,
        digest: match.digest,
        digestNote: match.note,
        findings: report.findings.length,
        counts,
        replaced: previous?.id ?? null,
      };
    },
    // Waits for another writer (a health sweep's rollup can hold the write lock for a while) rather than failing.
    { timeout: 60_000, maxWait: 30_000 },
  );
}

type BuildDigests = { id: number; digest: string | null; sizes: { platform: string; digest: string | null; configDigest: string | null }[] };

/** Which of the build's digests the report names, and how that reads; throws when it names only others. */
export function matchDigest(report: Pick<ScanReport, "digests" | "format">, build: BuildDigests): { digest: string | null; note: string } {
  const known: { digest: string; what: string }[] = [];
  if (build.digest) known.push({ digest: build.digest, what: "the pushed image" });
  for (const p of build.sizes) {
    if (p.digest) known.push({ digest: p.digest, what: `the ${p.platform} manifest` });
    if (p.configDigest) known.push({ digest: p.configDigest, what: `the ${p.platform} image ID (config)` });
  }
  if (report.digests.length === 0) {
    return { digest: null, note: `the report names no image digest${report.format === "sarif" ? " (SARIF carries none)" : ""}; tied to build #${build.id} by its id alone` };
  }
  if (known.length === 0) return { digest: null, note: `build #${build.id} recorded no digest to compare with; tied to it by its id alone` };
  const hit = known.find((k) => report.digests.includes(k.digest));
  if (hit) return { digest: hit.digest, note: `the report names ${hit.what} of build #${build.id} (${shortDigest(hit.digest)}…)` };
  throw new ScanImportError(
    422,
    `the report describes ${report.digests.map((d) => `${shortDigest(d)}…`).join(", ")}, not build #${build.id}, which pushed ${known.map((k) => `${k.what} ${shortDigest(k.digest)}…`).join(", ")}: scan the pushed image by its digest (e.g. trivy image repo@${build.digest ?? "sha256:…"})`,
  );
}

function dateOrNull(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
