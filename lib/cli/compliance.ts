// `npx lucid compliance [--format text|json|sarif] [--fail-on error|warning|never] [--port N] [--user U] FILE...`:
// the compliance rules for CI, on Dockerfiles alone (no server, no database, no checkout). Exit codes: 0 nothing
// at or above --fail-on, 1 a result at or above it (with the default "error": a fail, or a file that is not a
// Dockerfile that could build), 2 a file could not be read or the arguments are wrong.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { toSarif } from "@/lib/compliance/sarif";
import { analyseDockerfile } from "@/lib/compliance/analyse";
import { MAX_DOCKERFILE_BYTES } from "@/lib/compliance/dockerfile";
import { countResults, findingResult } from "@/lib/compliance/status";
import { DEFAULT_EXPECTED_USER, type DockerfileFacts, type Finding, type FindingResult } from "@/lib/compliance/types";

const FORMATS = ["text", "json", "sarif"] as const;
const FAIL_ON = ["error", "warning", "never"] as const;

export type ComplianceCommandOptions = { json?: boolean; format?: string; failOn?: string; port?: string; user?: string };

/** One file's result as `--format json` prints it. */
export type ComplianceFileReport = {
  file: string;
  /** Why the file could not be analysed (every rule is then "not checked"); null when it was. */
  parseError: string | null;
  findings: (Pick<Finding, "rule" | "status" | "severity" | "line" | "message"> & { result: FindingResult })[];
  /** What the rules resolved: final base, effective user, exposed ports, stages. */
  facts: DockerfileFacts | null;
};

type FileResult = { file: string; findings: Finding[]; parseError: string | null; unreadable: boolean; facts: DockerfileFacts | null };

const USER_PATTERN = /^[^\s:]+(?::[^\s:]+)?$/;

export async function complianceCommand(files: string[], opts: ComplianceCommandOptions): Promise<number> {
  const usage = usageProblem(files, opts);
  if (usage) {
    console.error(`lucid compliance: ${usage}`);
    console.error("usage: lucid compliance [--format text|json|sarif] [--fail-on error|warning|never] [--port N] [--user UID:GID] FILE...");
    return 2;
  }
  const format = opts.json ? "json" : (opts.format ?? "text");
  const plan = { port: opts.port === undefined ? null : Number(opts.port), expectedUser: opts.user ?? DEFAULT_EXPECTED_USER };
  const results: FileResult[] = [];
  for (const file of files) results.push(await checkFile(file, plan));

  if (format === "json") console.log(JSON.stringify(results.map(toReport), null, 2));
  else if (format === "sarif") console.log(JSON.stringify(toSarif(results.map(toSarifInput), CLI_VERSION), null, 2));
  else for (const line of results.flatMap(describeResult)) console.log(line);
  return exitCode(results, (opts.failOn ?? "error") as (typeof FAIL_ON)[number]);
}

const CLI_VERSION = "0.1.0";

/** SARIF wants paths relative to the repository: relative to where the command runs, with forward slashes. */
function toSarifInput(result: FileResult) {
  const relative = path.relative(process.cwd(), result.file);
  const uri = (relative.startsWith("..") || path.isAbsolute(relative) ? result.file : relative).split(path.sep).join("/");
  return { uri, findings: result.findings, parseError: result.parseError };
}

function usageProblem(files: string[], opts: ComplianceCommandOptions): string | null {
  if (files.length === 0) return "give at least one Dockerfile";
  if (opts.format !== undefined && !(FORMATS as readonly string[]).includes(opts.format)) return `--format must be one of ${FORMATS.join(", ")}, not ${JSON.stringify(opts.format)}`;
  if (opts.failOn !== undefined && !(FAIL_ON as readonly string[]).includes(opts.failOn)) return `--fail-on must be one of ${FAIL_ON.join(", ")}, not ${JSON.stringify(opts.failOn)}`;
  if (opts.json && opts.format !== undefined && opts.format !== "json") return "--json is --format json; give one of them";
  if (opts.port !== undefined && !(/^\d{1,5}$/.test(opts.port) && Number(opts.port) >= 1 && Number(opts.port) <= 65535)) {
    return `--port must be a port number (1-65535), not ${JSON.stringify(opts.port)}`;
  }
  if (opts.user !== undefined && !USER_PATTERN.test(opts.user)) return `--user must be UID, UID:GID or NAME[:GROUP], not ${JSON.stringify(opts.user)}`;
  return null;
}

async function checkFile(file: string, plan: { port: number | null; expectedUser: string }): Promise<FileResult> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a regular file");
    if (info.size > MAX_DOCKERFILE_BYTES) throw new Error(`too large (${info.size} bytes; the limit is ${MAX_DOCKERFILE_BYTES})`);
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const finding: Finding = { rule: "dockerfile-present", status: "fail", severity: "error", line: null, message: `cannot read ${file}: ${reason}`, excerpt: null, source: "dockerfile" };
    return { file, findings: [finding], parseError: null, unreadable: true, facts: null };
  }
  const { findings, parseError, facts } = analyseDockerfile(text, plan, {}, file);
  return { file, findings, parseError, unreadable: false, facts };
}

function toReport(result: FileResult): ComplianceFileReport {
  return {
    file: result.file,
    parseError: result.parseError,
    findings: result.findings.map((f) => ({ rule: f.rule, status: f.status, severity: f.severity, line: f.line, message: f.message, result: findingResult(f) })),
    facts: result.facts,
  };
}

/** hadolint-style lines for what failed or warned, then a one-line summary per file. */
function describeResult(result: FileResult): string[] {
  const lines: string[] = [];
  if (result.parseError) lines.push(`${result.file}: not analysed: ${result.parseError}`);
  for (const f of result.findings) {
    const outcome = findingResult(f);
    if (outcome !== "fail" && outcome !== "warning") continue;
    lines.push(`${result.file}${f.line === null ? "" : `:${f.line}`} ${f.rule} ${outcome} ${f.message}`);
  }
  const counts = countResults(result.findings);
  lines.push(`${result.file}: ${counts.fail} fail, ${counts.warning} warning, ${counts.pass} pass, ${counts.not_checked} not checked`);
  return lines;
}

/** 2 for unreadable files; 1 for a parse error or a result at or above `failOn`; else 0. */
function exitCode(results: FileResult[], failOn: (typeof FAIL_ON)[number]): number {
  if (results.some((r) => r.unreadable)) return 2;
  if (failOn === "never") return 0;
  const failing = (f: Finding) => findingResult(f) === "fail" || (failOn === "warning" && findingResult(f) === "warning");
  return results.some((r) => r.parseError !== null || r.findings.some(failing)) ? 1 : 0;
}
