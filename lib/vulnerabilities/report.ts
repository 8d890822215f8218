// Scanner reports as the team's CI writes them, read into one model: Trivy JSON (`trivy image --format json`), Grype
// JSON (`grype -o json`) and SARIF 2.1.0 from either. The format is told from the content. What a report cannot say
// (Trivy JSON has no database date, SARIF no fix state for Grype) is null or "unknown", never guessed.
import { z } from "zod";
import { isValidDigest } from "@/lib/registry/reference";
import { severityFromCvss, severityOf, type Severity } from "@/lib/vulnerabilities/severity";

export type FixState = "fixed" | "not_fixed" | "wont_fix" | "unknown";

export type ReportFinding = {
  vulnerabilityId: string;
  package: string;
  installed: string;
  fixedIn: string | null;
  fixState: FixState;
  severity: Severity;
  cvss: number | null;
  title: string | null;
  url: string | null;
};

export type ReportFormat = "trivy-json" | "grype-json" | "sarif";

export type ScanReport = {
  format: ReportFormat;
  scanner: { name: string; version: string | null; databaseBuiltAt: string | null };
  /** When the scan ran, as the report says; null when it does not. */
  scannedAt: string | null;
  /** The image as the report names it (ArtifactName, userInput, imageName). */
  artifact: string | null;
  /** Every digest the report names for the image: repo digests, the platform manifest, the config (image ID). */
  digests: string[];
  /** Deduplicated on id, package and installed version. */
  findings: ReportFinding[];
};

export class ReportError extends Error {
  override name = "ReportError";
}

/** 20 MiB reports are real (every package's description); past this the report is refused unread. */
export const MAX_REPORT_BYTES = 48 * 1024 * 1024;
export const MAX_FINDINGS = 200_000;

/** Reads a report's bytes. Throws ReportError with the reason, whatever is wrong with it. */
export function parseReport(bytes: Buffer): ScanReport {
  if (bytes.length === 0) throw new ReportError("the report is empty");
  if (bytes.length > MAX_REPORT_BYTES) throw new ReportError(`the report is ${(bytes.length / 1024 / 1024).toFixed(1)} MiB; the limit is ${MAX_REPORT_BYTES / 1024 / 1024} MiB`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ReportError(error instanceof TypeError ? "the report is not UTF-8 text" : `the report is not JSON: ${(error as Error).message}`);
  }
  const format = detectFormat(json);
  const report = format === "trivy-json" ? fromTrivy(json) : format === "grype-json" ? fromGrype(json) : fromSarif(json);
  if (report.findings.length > MAX_FINDINGS) throw new ReportError(`the report lists ${report.findings.length} findings; the limit is ${MAX_FINDINGS}`);
  return report;
}

export function detectFormat(json: unknown): ReportFormat {
  if (!isRecord(json)) throw new ReportError("the report is not a JSON object");
  if (typeof json.version === "string" && Array.isArray(json.runs)) {
    if (json.version !== "2.1.0") throw new ReportError(`SARIF ${json.version} is not supported; only 2.1.0`);
    return "sarif";
  }
  if (Array.isArray(json.matches)) return "grype-json";
  if ("SchemaVersion" in json && ("Results" in json || "ArtifactName" in json)) return "trivy-json";
  throw new ReportError("not a Trivy JSON, Grype JSON or SARIF 2.1.0 report (no Results, matches or runs)");
}

// ---------------------------------------------------------------------------
// Trivy

const text = z.string().nullish();
const trivyCvss = z.record(z.string(), z.object({ V3Score: z.number().nullish(), V2Score: z.number().nullish(), V40Score: z.number().nullish() }).partial());
const trivyVulnerability = z.object({
  VulnerabilityID: z.string().min(1),
  PkgName: z.string().min(1),
  InstalledVersion: text,
  FixedVersion: text,
  Status: text,
  Severity: text,
  CVSS: trivyCvss.nullish(),
  Title: text,
  PrimaryURL: text,
});
const trivyReport = z.object({
  SchemaVersion: z.number(),
  CreatedAt: text,
  ArtifactName: text,
  Metadata: z.object({ ImageID: text, RepoDigests: z.array(z.string()).nullish() }).partial().nullish(),
  Results: z.array(z.object({ Target: text, Vulnerabilities: z.array(trivyVulnerability).nullish() })).nullish(),
  Trivy: z.object({ Version: text }).partial().nullish(),
});

const TRIVY_STATUS: Record<string, FixState> = {
  fixed: "fixed",
  affected: "not_fixed",
  fix_deferred: "not_fixed",
  will_not_fix: "wont_fix",
  end_of_life: "wont_fix",
  under_investigation: "unknown",
  unknown: "unknown",
};

function fromTrivy(json: unknown): ScanReport {
  const report = parseAs(trivyReport, json, "Trivy JSON");
  const findings: ReportFinding[] = [];
  for (const result of report.Results ?? []) {
    for (const v of result.Vulnerabilities ?? []) {
      if (v.Status === "not_affected") continue;
      const fixedIn = v.FixedVersion?.trim() || null;
      const status = v.Status ? (TRIVY_STATUS[v.Status] ?? "unknown") : fixedIn ? "fixed" : "unknown";
      findings.push({
        vulnerabilityId: v.VulnerabilityID,
        package: v.PkgName,
        installed: v.InstalledVersion ?? "",
        fixedIn,
        fixState: status === "fixed" && !fixedIn ? "unknown" : status,
        severity: severityOf(v.Severity),
        cvss: trivyScore(v.CVSS ?? null),
        title: v.Title ?? null,
        url: v.PrimaryURL ?? null,
      });
    }
  }
  const named = [...(report.Metadata?.RepoDigests ?? []), report.ArtifactName ?? "", report.Metadata?.ImageID ?? ""];
  return {
    format: "trivy-json",
    scanner: { name: "trivy", version: report.Trivy?.Version ?? null, databaseBuiltAt: null },
    scannedAt: report.CreatedAt ?? null,
    artifact: report.ArtifactName ?? null,
    digests: digestsIn(named),
    findings: dedupe(findings),
  };
}

/** NVD's score first, then any vendor's; CVSS v3 before v4 and v2. */
function trivyScore(cvss: z.infer<typeof trivyCvss> | null): number | null {
  if (!cvss) return null;
  const sources = [cvss.nvd, ...Object.entries(cvss).filter(([k]) => k !== "nvd").map(([, v]) => v)].filter(Boolean);
  for (const field of ["V3Score", "V40Score", "V2Score"] as const) {
    const score = sources.map((s) => s?.[field]).find((n): n is number => typeof n === "number");
    if (score !== undefined) return score;
  }
  return null;
}

// ---------------------------------------------------------------------------
// Grype

const grypeCvss = z.array(z.object({ version: text, metrics: z.object({ baseScore: z.number().nullish() }).partial().nullish() }).partial()).nullish();
const grypeMatch = z.object({
  vulnerability: z.object({
    id: z.string().min(1),
    severity: text,
    dataSource: text,
    description: text,
    fix: z.object({ state: text, versions: z.array(z.string()).nullish() }).partial().nullish(),
    cvss: grypeCvss,
  }),
  relatedVulnerabilities: z.array(z.object({ cvss: grypeCvss }).partial()).nullish(),
  artifact: z.object({ name: z.string().min(1), version: text }),
});
const grypeReport = z.object({
  matches: z.array(grypeMatch),
  source: z
    .object({ target: z.union([z.string(), z.object({ userInput: text, imageID: text, manifestDigest: text, repoDigests: z.array(z.string()).nullish() }).partial()]).nullish() })
    .partial()
    .nullish(),
  descriptor: z
    .object({ name: text, version: text, timestamp: text, db: z.object({ built: text, status: z.object({ built: text }).partial().nullish() }).partial().nullish() })
    .partial()
    .nullish(),
});

const GRYPE_FIX: Record<string, FixState> = { fixed: "fixed", "not-fixed": "not_fixed", "wont-fix": "wont_fix", unknown: "unknown" };

function fromGrype(json: unknown): ScanReport {
  const report = parseAs(grypeReport, json, "Grype JSON");
  const findings = report.matches.map((m): ReportFinding => {
    const fixedIn = m.vulnerability.fix?.versions?.[0] ?? null;
    const state = GRYPE_FIX[m.vulnerability.fix?.state ?? "unknown"] ?? "unknown";
    return {
      vulnerabilityId: m.vulnerability.id,
      package: m.artifact.name,
      installed: m.artifact.version ?? "",
      fixedIn,
      fixState: state === "fixed" && !fixedIn ? "unknown" : state,
      severity: severityOf(m.vulnerability.severity),
      cvss: grypeScore(m.vulnerability.cvss) ?? (m.relatedVulnerabilities ?? []).map((r) => grypeScore(r.cvss)).find((s) => s !== null) ?? null,
      title: m.vulnerability.description?.split("\n")[0]?.slice(0, 300) ?? null,
      url: m.vulnerability.dataSource ?? null,
    };
  });
  const target = report.source?.target;
  const named = typeof target === "object" && target !== null ? [...(target.repoDigests ?? []), target.manifestDigest ?? "", target.imageID ?? "", target.userInput ?? ""] : [];
  const db = report.descriptor?.db;
  return {
    format: "grype-json",
    scanner: { name: report.descriptor?.name ?? "grype", version: report.descriptor?.version ?? null, databaseBuiltAt: db?.built ?? db?.status?.built ?? null },
    scannedAt: report.descriptor?.timestamp ?? null,
    artifact: typeof target === "string" ? target : (target?.userInput ?? null),
    digests: digestsIn(named),
    findings: dedupe(findings),
  };
}

function grypeScore(cvss: z.infer<typeof grypeCvss>): number | null {
  const scored = (cvss ?? []).filter((c) => typeof c.metrics?.baseScore === "number");
  const v3 = scored.find((c) => c.version?.startsWith("3"));
  return (v3 ?? scored[0])?.metrics?.baseScore ?? null;
}

// ---------------------------------------------------------------------------
// SARIF 2.1.0 (Trivy's and Grype's): rules carry the score, results the package in their message

const sarifRule = z.object({
  id: z.string(),
  shortDescription: z.object({ text: text }).partial().nullish(),
  helpUri: text,
  help: z.object({ text: text }).partial().nullish(),
  properties: z
    .object({
      "security-severity": z.union([z.string(), z.number()]).nullish(),
      tags: z.array(z.string()).nullish(),
      cvssv3_baseScore: z.number().nullish(),
      cvssv40_baseScore: z.number().nullish(),
    })
    .partial()
    .nullish(),
});
const sarifResult = z.object({
  ruleId: z.string().min(1),
  level: text,
  message: z.object({ text: text }).partial().nullish(),
});
const sarifRun = z.object({
  tool: z.object({ driver: z.object({ name: z.string(), version: text, semanticVersion: text, rules: z.array(sarifRule).nullish() }) }),
  results: z.array(sarifResult).nullish(),
  invocations: z.array(z.object({ endTimeUtc: text }).partial()).nullish(),
  properties: z.object({ imageName: text, repoDigests: z.array(z.string()).nullish(), imageID: text }).partial().nullish(),
});
// One run: one image. A SARIF file of several runs would tie every image's findings to the one build.
const sarifReport = z.object({ version: z.literal("2.1.0"), runs: z.array(sarifRun).length(1, "a SARIF report of one image has one run; import each image's report on its own") });

const LEVEL_SEVERITY: Record<string, Severity> = { error: "high", warning: "medium", note: "low" };

function fromSarif(json: unknown): ScanReport {
  const report = parseAs(sarifReport, json, "SARIF 2.1.0");
  const run = report.runs[0]!;
  const rules = new Map((run.tool.driver.rules ?? []).map((r) => [r.id, r]));
  const findings: ReportFinding[] = [];
  for (const result of run.results ?? []) {
    const rule = rules.get(result.ruleId);
    const tags = rule?.properties?.tags?.map((t) => t.toLowerCase()) ?? [];
    // Trivy tags each rule with its kind first: secrets, misconfigurations and licenses are not vulnerabilities.
    if (tags.length > 0 && ["secret", "misconfiguration", "license"].some((kind) => tags.includes(kind)) && !tags.includes("vulnerability")) continue;
    const message = result.message?.text ?? "";
    const score = Number(rule?.properties?.["security-severity"]);
    // Trivy tags the rule with its severity; Grype names it in the rule's text ("… critical vulnerability for …").
    const tagged = tags.find((t) => ["critical", "high", "medium", "low"].includes(t)) ?? /\b(critical|high|medium|low|negligible) vulnerability for\b/i.exec(rule?.shortDescription?.text ?? "")?.[1];
    // Trivy: "Package: x\nInstalled Version: y\n…Fixed Version: z". Grype, current: "… in deb package: x, version y was
    // found …"; older: "… reports x at version y …"; its rule id ends with the package (CVE-2024-45490-libexpat1) and
    // its help text says "Fix Version: z" only when there is one.
    const trivy = { pkg: field(message, "Package"), installed: field(message, "Installed Version"), fixed: field(message, "Fixed Version") };
    const grype = /package: (\S+), version (\S+)/.exec(message) ?? /reports (\S+) at version (\S+)/.exec(message);
    const id = /^(CVE-\d{4}-\d+|GHSA(?:-[0-9a-z]{4}){3})/i.exec(result.ruleId)?.[1] ?? result.ruleId;
    const fromRuleId = result.ruleId.length > id.length + 1 ? result.ruleId.slice(id.length + 1) : null;
    const grypeFix = /Fix(?:ed)? Version:[ \t]*(\S+)/i.exec(rule?.help?.text ?? "")?.[1] ?? null;
    const pkg = trivy.pkg ?? grype?.[1] ?? fromRuleId;
    const fixedIn = trivy.fixed || grypeFix || null;
    findings.push({
      vulnerabilityId: id,
      package: pkg ?? "(not named)",
      installed: trivy.installed ?? grype?.[2] ?? "",
      fixedIn,
      fixState: fixedIn ? "fixed" : trivy.pkg !== null && trivy.fixed === "" ? "not_fixed" : "unknown",
      severity: tagged ? severityOf(tagged) : Number.isFinite(score) ? severityFromCvss(score) : (LEVEL_SEVERITY[result.level ?? ""] ?? "unknown"),
      // security-severity is made up from the severity when the scanner has no score: only a real CVSS base score is one.
      cvss: rule?.properties?.cvssv3_baseScore ?? rule?.properties?.cvssv40_baseScore ?? null,
      title: rule?.shortDescription?.text ?? null,
      url: rule?.helpUri ?? null,
    });
  }
  const named = [...(run.properties?.repoDigests ?? []), run.properties?.imageID ?? "", run.properties?.imageName ?? ""];
  return {
    format: "sarif",
    scanner: { name: run.tool.driver.name.toLowerCase(), version: run.tool.driver.version ?? run.tool.driver.semanticVersion ?? null, databaseBuiltAt: null },
    scannedAt: run.invocations?.[0]?.endTimeUtc ?? null,
    artifact: run.properties?.imageName ?? null,
    digests: digestsIn(named),
    findings: dedupe(findings),
  };
}

/** "Fixed Version: 1.2" → "1.2"; "" when the line is there and empty; null when there is no such line. */
function field(message: string, name: string): string | null {
  const match = new RegExp(`^${name}:[ \\t]*(.*)$`, "m").exec(message);
  return match ? match[1]!.trim() : null;
}

// ---------------------------------------------------------------------------

function dedupe(findings: ReportFinding[]): ReportFinding[] {
  const seen = new Map<string, ReportFinding>();
  for (const f of findings) {
    const key = `${f.vulnerabilityId}\u0000${f.package}\u0000${f.installed}`;
    // The same finding twice (two Results targets): the one that names a fix wins.
    if (!seen.has(key) || (f.fixState === "fixed" && seen.get(key)!.fixState !== "fixed")) seen.set(key, f);
  }
  return [...seen.values()];
}

/** sha256:… digests in strings such as repo@sha256:…, or a bare digest. */
function digestsIn(values: string[]): string[] {
  const found = values.flatMap((v) => [...v.matchAll(/sha256:[0-9a-f]{64}/g)].map((m) => m[0])).filter(isValidDigest);
  return [...new Set(found)];
}

function parseAs<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ReportError(`not a valid ${what} report: ${issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue?.message ?? "invalid"}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
