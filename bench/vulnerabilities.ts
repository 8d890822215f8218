// Importing a scanner's report: a Trivy JSON report of `findings` findings (with descriptions, as Trivy writes them)
// read, judged against the build's digest and stored in one transaction. Goal: 10,000 findings under 2 s.
import { createTestDatabase } from "@/lib/db/test-database";
import { seedDefaults } from "@/lib/plan/seed";
import { importScan } from "@/lib/vulnerabilities/import";
import { parseReport } from "@/lib/vulnerabilities/report";
import { percentile } from "./stats";

export type ScanImportFigures = { findings: number; megabytes: number; medianMs: number };

export function trivyReport(findings: number, digest: string): Buffer {
  const severities = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"];
  const vulnerabilities = Array.from({ length: findings }, (_, i) => ({
    VulnerabilityID: `CVE-2024-${100000 + i}`,
    PkgName: `package-${i % 700}`,
    InstalledVersion: `1.${i % 13}.0`,
    FixedVersion: i % 3 === 0 ? `1.${i % 13}.1` : "",
    Status: i % 3 === 0 ? "fixed" : "affected",
    Severity: severities[i % 5],
    Title: `package-${i % 700}: a flaw in parsing input ${i}`,
    Description: "A flaw was found in the way input is parsed, which may allow a remote attacker to crash the process or run code. ".repeat(6),
    PrimaryURL: `https://avd.aquasec.com/nvd/cve-2024-${100000 + i}`,
    CVSS: { nvd: { V3Score: (i % 100) / 10 } },
  }));
  return Buffer.from(JSON.stringify({ SchemaVersion: 2, ArtifactName: "pickme/lucid-session-api:latest-arm64", Metadata: { RepoDigests: [`pickme/lucid-session-api@${digest}`] }, Results: [{ Target: "debian", Vulnerabilities: vulnerabilities }] }));
}

export async function benchScanImport(runs: number, findings: number): Promise<ScanImportFigures> {
  const db = await createTestDatabase();
  try {
    await seedDefaults(db.prisma);
    const digest = `sha256:${"2".repeat(64)}`;
    const image = await db.prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    const build = await db.prisma.build.create({ data: { imageId: image.id, status: "succeeded", source: "api", pushed: true, digest, tags: [], platforms: [] } });
    const bytes = trivyReport(findings, digest);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const scan = await importScan(db.prisma, build.id, parseReport(bytes), "token bench", "api");
      times.push(performance.now() - started);
      if (scan.findings !== findings) throw new Error(`scan import bench: ${scan.findings} findings stored, not ${findings}`);
    }
    return { findings, megabytes: Math.round(bytes.length / 1e5) / 10, medianMs: Math.round(percentile(times, 50)) };
  } finally {
    await db.cleanup();
  }
}
