import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { countFindings } from "@/lib/vulnerabilities/counts";
import { parseReport, ReportError } from "@/lib/vulnerabilities/report";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name));
const INDEX = `sha256:${"2".repeat(64)}`;
const CONFIG = `sha256:${"1".repeat(64)}`;

describe("Trivy JSON", () => {
  it("reads every finding with its fix state, severity and score, drops not_affected, and dedupes on id, package and version", () => {
    const report = parseReport(fixture("trivy.json"));
    expect(report).toMatchObject({ format: "trivy-json", scanner: { name: "trivy", version: "0.58.1", databaseBuiltAt: null }, scannedAt: "2026-11-30T12:00:00.123456789Z" });
    expect(report.digests.sort()).toEqual([CONFIG, INDEX].sort());
    expect(report.findings.map((f) => [f.vulnerabilityId, f.package, f.severity, f.fixState, f.fixedIn, f.cvss])).toEqual([
      ["CVE-2024-45490", "libexpat1", "critical", "fixed", "2.5.0-1+deb12u1", 9.8],
      // The same id in two packages: two findings; the repeated libtinfo6 line: one.
      ["CVE-2023-50495", "libncursesw6", "medium", "not_fixed", null, 6.5],
      ["CVE-2023-50495", "libtinfo6", "medium", "not_fixed", null, null],
      ["CVE-2011-3374", "apt", "low", "wont_fix", null, 4.3],
      ["TEMP-0841856-B18BAF", "bash", "unknown", "not_fixed", null, null],
      ["CVE-2024-35195", "requests", "high", "fixed", "2.32.0", 5.6],
      // No Status (older Trivy) but a fixed version: fixed.
      ["CVE-2024-6345", "setuptools", "high", "fixed", "70.0.0", null],
    ]);
    expect(countFindings(report.findings)).toEqual({ critical: 1, high: 2, medium: 2, low: 1, unknown: 1, fixable: 3, fixableCriticalHigh: 3, unknownFixCriticalHigh: 0 });
  });

  it("reads a clean report as no findings", () => {
    const report = parseReport(fixture("trivy-clean.json"));
    expect(report.findings).toEqual([]);
    expect(report.digests).toEqual([INDEX]);
  });
});

describe("Grype JSON", () => {
  it("maps Negligible to low, fix states, CVSS from related NVD records, and the database date", () => {
    const report = parseReport(fixture("grype.json"));
    expect(report).toMatchObject({ format: "grype-json", scanner: { name: "grype", version: "0.84.0", databaseBuiltAt: "2026-11-29T01:31:44Z" }, artifact: "pickme/lucid-session-api:latest-arm64" });
    expect(report.digests.sort()).toEqual([CONFIG, INDEX, `sha256:${"3".repeat(64)}`].sort());
    expect(report.findings.map((f) => [f.vulnerabilityId, f.package, f.severity, f.fixState, f.fixedIn, f.cvss])).toEqual([
      ["CVE-2024-45490", "libexpat1", "critical", "fixed", "2.5.0-1+deb12u1", 9.8],
      ["GHSA-9wx4-h78v-vm56", "requests", "medium", "fixed", "2.32.0", 5.6],
      ["CVE-2022-27943", "libstdc++6", "low", "wont_fix", null, null],
      ["CVE-2023-50495", "libtinfo6", "medium", "not_fixed", null, null],
      ["CVE-2025-0001", "libc6", "unknown", "unknown", null, null],
    ]);
    expect(report.findings[0]!.title).toBe("An issue was discovered in libexpat before 2.6.3.");
  });
});

describe("SARIF 2.1.0", () => {
  it("reads Trivy's: severity from the rule, package, versions and fix from the message, digests from the run; secrets are not vulnerabilities", () => {
    const report = parseReport(fixture("trivy.sarif.json"));
    expect(report).toMatchObject({ format: "sarif", scanner: { name: "trivy", version: "0.58.1" } });
    expect(report.digests.sort()).toEqual([CONFIG, INDEX].sort());
    // The CVSS is the rule's cvssv3_baseScore; security-severity (6.5 here) may be made up from the severity.
    expect(report.findings.map((f) => [f.vulnerabilityId, f.package, f.installed, f.severity, f.fixState, f.fixedIn, f.cvss])).toEqual([
      ["CVE-2024-45490", "libexpat1", "2.5.0-1", "critical", "fixed", "2.5.0-1+deb12u1", 9.8],
      ["CVE-2023-50495", "libtinfo6", "6.4-4", "medium", "not_fixed", null, null],
    ]);
  });

  it("reads Grype's, current and older messages: the id without the package suffix, one finding per package, the fix from the rule's help", () => {
    const report = parseReport(fixture("grype.sarif.json"));
    expect(report.digests).toEqual([]);
    expect(report.findings.map((f) => [f.vulnerabilityId, f.package, f.installed, f.severity, f.fixState, f.fixedIn])).toEqual([
      ["CVE-2024-5535", "libssl3", "3.0.11-1~deb12u2", "critical", "fixed", "3.0.14-1~deb12u1"],
      ["CVE-2024-5535", "openssl", "3.0.11-1~deb12u2", "critical", "unknown", null],
      ["CVE-2022-27943", "libstdc++6", "12.2.0-14", "low", "unknown", null],
    ]);
    expect(countFindings(report.findings)).toMatchObject({ critical: 2, fixableCriticalHigh: 1, unknownFixCriticalHigh: 1 });
  });

  it("refuses a SARIF file of several runs (several images)", () => {
    const two = JSON.parse(fixture("trivy.sarif.json").toString());
    two.runs.push(two.runs[0]);
    expect(() => parseReport(Buffer.from(JSON.stringify(two)))).toThrow(/a SARIF report of one image has one run/);
  });
});

describe("bad reports", () => {
  const refused = (body: string | Buffer) => {
    try {
      parseReport(typeof body === "string" ? Buffer.from(body) : body);
    } catch (error) {
      expect(error).toBeInstanceOf(ReportError);
      return (error as Error).message;
    }
    throw new Error("accepted");
  };

  it("says what is wrong", () => {
    expect(refused("")).toBe("the report is empty");
    expect(refused("{ not json")).toMatch(/^the report is not JSON: /);
    expect(refused(Buffer.from([0xff, 0xfe, 0x7b]))).toBe("the report is not UTF-8 text");
    expect(refused("[1,2]")).toBe("the report is not a JSON object");
    expect(refused('{"hello": 1}')).toBe("not a Trivy JSON, Grype JSON or SARIF 2.1.0 report (no Results, matches or runs)");
    expect(refused('{"version": "2.0.0", "runs": []}')).toBe("SARIF 2.0.0 is not supported; only 2.1.0");
    expect(refused('{"SchemaVersion": 2, "Results": [{"Vulnerabilities": [{"PkgName": "x"}]}]}')).toBe("not a valid Trivy JSON report: Results.0.Vulnerabilities.0.VulnerabilityID: Invalid input: expected string, received undefined");
    expect(refused('{"matches": [{"vulnerability": {"id": "CVE-1"}}]}')).toMatch(/^not a valid Grype JSON report: matches\.0\.artifact: /);
  });

  it("reads a 20 MB report, and refuses a larger one than the limit unread", () => {
    const vulnerabilities = Array.from({ length: 20_000 }, (_, i) => ({
      VulnerabilityID: `CVE-2024-${10000 + i}`,
      PkgName: `package-${i % 400}`,
      InstalledVersion: "1.0",
      FixedVersion: i % 3 === 0 ? "1.1" : "",
      Status: i % 3 === 0 ? "fixed" : "affected",
      Severity: ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"][i % 5],
      Description: "x".repeat(900),
    }));
    const big = Buffer.from(JSON.stringify({ SchemaVersion: 2, ArtifactName: "x", Results: [{ Target: "t", Vulnerabilities: vulnerabilities }] }));
    expect(big.length).toBeGreaterThan(20_000_000);
    expect(parseReport(big).findings).toHaveLength(20_000);
    expect(refused(Buffer.alloc(49 * 1024 * 1024, 0x20))).toBe("the report is 49.0 MiB; the limit is 48 MiB");
  });
});
