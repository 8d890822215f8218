import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useSeededDatabase } from "@/lib/testing/seeded-database";
import { imageCompliance } from "@/lib/views/compliance";
import { imageVulnerabilities } from "@/lib/views/vulnerabilities";
import { importScan, ScanImportError } from "@/lib/vulnerabilities/import";
import { parseReport } from "@/lib/vulnerabilities/report";

const db = useSeededDatabase();
const fixture = (name: string, replace: [string, string][] = []) => {
  let text = readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
  for (const [from, to] of replace) text = text.replaceAll(from, to);
  return parseReport(Buffer.from(text));
};
const digest = (c: string) => `sha256:${c.repeat(64)}`;

async function pushedBuild(prisma: PrismaClient, index: string, pushed = true) {
  const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
  return prisma.build.create({
    data: {
      imageId: image.id,
      status: pushed ? "succeeded" : "failed",
      source: "api",
      pushed,
      digest: pushed ? index : null,
      finishedAt: new Date(),
      tags: [],
      platforms: ["linux/arm64"],
      sizes: { create: [{ platform: "linux/arm64", digest: digest("3"), configDigest: digest("1") }] },
    },
  });
}

describe("importing a scan report", () => {
  it("keeps it with the build whose digest it names, counts it, and judges the image by it", async () => {
    const prisma = db.prisma;
    const build = await pushedBuild(prisma, digest("2"));
    const scan = await importScan(prisma, build.id, fixture("trivy.json"), "token ci", "api");
    expect(scan).toMatchObject({ build: build.id, image: "lucid-session-api", scanner: "trivy", format: "trivy-json", digest: digest("2"), findings: 7, replaced: null });
    expect(scan.digestNote).toBe(`the report names the pushed image of build #${build.id} (${digest("2").slice(0, 19)}…)`);
    expect(scan.counts).toEqual({ critical: 1, high: 2, medium: 2, low: 1, unknown: 1, fixable: 3, fixableCriticalHigh: 3, unknownFixCriticalHigh: 0 });
    expect(await prisma.auditEvent.count({ where: { action: "scan.import" } })).toBe(1);

    const compliance = await imageCompliance(prisma, "lucid-session-api");
    expect(compliance!.findings.find((f) => f.rule === "no-fixable-critical-high")).toMatchObject({ status: "fail", severity: "error", source: "scan", message: "3 critical or high vulnerabilities have a fix (1 critical, 2 high in all; trivy)" });

    // Grype names the platform manifest too; its database date is kept.
    const grype = await importScan(prisma, build.id, fixture("grype.json"), "token ci", "api");
    expect(grype.digest).toBe(digest("2"));
    expect((await prisma.vulnerabilityScan.findUniqueOrThrow({ where: { id: grype.id } })).databaseBuiltAt?.toISOString()).toBe("2026-11-29T01:31:44.000Z");
  });

  it("replaces the same scanner's earlier report on the same digest, keeping when each finding was first seen", async () => {
    const prisma = db.prisma;
    const build = await pushedBuild(prisma, digest("2"));
    const first = await importScan(prisma, build.id, fixture("trivy.json"), "token ci", "api");
    const seen = await prisma.vulnerabilityFinding.findFirstOrThrow({ where: { scanId: first.id, vulnerabilityId: "CVE-2024-45490" } });
    const again = await importScan(prisma, build.id, fixture("trivy.json"), "token ci", "api");
    expect(again.replaced).toBe(first.id);
    expect(await prisma.vulnerabilityScan.count({ where: { buildId: build.id } })).toBe(1);
    const kept = await prisma.vulnerabilityFinding.findFirstOrThrow({ where: { scanId: again.id, vulnerabilityId: "CVE-2024-45490" } });
    expect(kept.firstSeenAt).toEqual(seen.firstSeenAt);
  });

  it("refuses a report on another image, on an unpushed build or an unknown one, and stores nothing", async () => {
    const prisma = db.prisma;
    const build = await pushedBuild(prisma, digest("4"));
    const other = fixture("trivy.json", [[digest("1"), digest("7")], [digest("2"), digest("8")]]);
    const error = await importScan(prisma, build.id, other, "token ci", "api").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScanImportError);
    expect((error as ScanImportError).status).toBe(422);
    expect((error as Error).message).toMatch(new RegExp(`^the report describes sha256:8{12}…, sha256:7{12}…, not build #${build.id}, which pushed the pushed image sha256:4{12}…`));
    const failed = await pushedBuild(prisma, digest("5"), false);
    await expect(importScan(prisma, failed.id, fixture("trivy.json"), "token ci", "api")).rejects.toMatchObject({ status: 409 });
    await expect(importScan(prisma, 999_999, fixture("trivy.json"), "token ci", "api")).rejects.toMatchObject({ status: 404 });
    expect(await prisma.vulnerabilityScan.count()).toBe(0);
    expect(await prisma.vulnerabilityFinding.count()).toBe(0);
  });

  it("accepts a report that names no digest (SARIF from Grype), saying so; without fix states the rule is not checked, and a JSON report is preferred", async () => {
    const prisma = db.prisma;
    const build = await pushedBuild(prisma, digest("2"));
    const scan = await importScan(prisma, build.id, fixture("grype.sarif.json"), "token ci", "api");
    expect(scan).toMatchObject({ digest: null, digestNote: `the report names no image digest (SARIF carries none); tied to build #${build.id} by its id alone` });
    // One critical has a fix, the other's report cannot say: never a pass.
    const rule = async () => (await imageCompliance(prisma, "lucid-session-api"))!.findings.find((f) => f.rule === "no-fixable-critical-high");
    expect(await rule()).toMatchObject({ status: "fail" });
    const unfixable = fixture("grype.sarif.json");
    unfixable.findings = unfixable.findings.filter((f) => f.package !== "libssl3");
    await importScan(prisma, build.id, unfixable, "token ci", "api");
    expect(await rule()).toMatchObject({ status: "n/a", message: expect.stringContaining("1 critical or high vulnerability in a report that cannot say whether a fix exists") });
    // A Trivy JSON report of the same push is the one judged, whenever it was imported.
    const trivy = await importScan(prisma, build.id, fixture("trivy.json"), "token ci", "api");
    await importScan(prisma, build.id, unfixable, "token ci", "api");
    expect((await imageVulnerabilities(prisma, "lucid-session-api"))!.scan).toMatchObject({ id: trivy.id, scanner: "trivy" });
  });

  it("refuses a report on a push that failed verification", async () => {
    const prisma = db.prisma;
    const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    const failed = await prisma.build.create({ data: { imageId: image.id, status: "failed", source: "api", pushed: true, digest: digest("2"), tags: [], platforms: [] } });
    await expect(importScan(prisma, failed.id, fixture("trivy.json"), "token ci", "api")).rejects.toThrow(`build #${failed.id} failed: scan reports are kept for succeeded pushes`);
  });

  it("shows the latest push's findings critical and fixable first, what is new and what was fixed since the push before by the same scanner, and a trend", async () => {
    const prisma = db.prisma;
    const before = await pushedBuild(prisma, digest("2"));
    await importScan(prisma, before.id, fixture("trivy.json"), "token ci", "api");
    const after = await pushedBuild(prisma, digest("6"));
    const next = fixture("trivy.json", [[digest("2"), digest("6")]]);
    next.findings = [
      ...next.findings.filter((f) => !["apt", "bash", "requests"].includes(f.package)),
      { vulnerabilityId: "CVE-2025-1111", package: "libc6", installed: "2.36-9", fixedIn: null, fixState: "not_fixed", severity: "high", cvss: 7.5, title: null, url: null },
    ];
    await importScan(prisma, after.id, next, "token ci", "api");
    const view = (await imageVulnerabilities(prisma, "lucid-session-api"))!;
    expect(view.scan).toMatchObject({ build: after.id, scanner: "trivy" });
    expect(view.findings.map((f) => [f.vulnerabilityId, f.severity, f.fixState])).toEqual([
      ["CVE-2024-45490", "critical", "fixed"],
      ["CVE-2024-6345", "high", "fixed"],
      ["CVE-2025-1111", "high", "not_fixed"],
      ["CVE-2023-50495", "medium", "not_fixed"],
      ["CVE-2023-50495", "medium", "not_fixed"],
    ]);
    expect(view.since).toEqual({ build: before.id, added: ["CVE-2025-1111 (libc6)"], fixed: ["CVE-2011-3374 (apt)", "CVE-2024-35195 (requests)", "TEMP-0841856-B18BAF (bash)"] });
    expect(view.trend.map((t) => [t.build, t.critical, t.high, t.fixable])).toEqual([[before.id, 1, 2, 3], [after.id, 1, 2, 2]]);
    // First seen in the earlier build's scan, not when the later one was imported.
    const expat = view.findings.find((f) => f.vulnerabilityId === "CVE-2024-45490")!;
    const earlier = await prisma.vulnerabilityFinding.findFirstOrThrow({ where: { vulnerabilityId: "CVE-2024-45490", scan: { buildId: before.id } } });
    expect(expat.firstSeenAt).toBe(earlier.firstSeenAt.toISOString());

    // Another scanner on the next push: ids and packages are named its own way, so nothing is compared.
    const third = await pushedBuild(prisma, digest("7"));
    await importScan(prisma, third.id, fixture("grype.json", [[digest("2"), digest("7")]]), "token ci", "api");
    expect((await imageVulnerabilities(prisma, "lucid-session-api"))!.since).toBeNull();
  });
});
