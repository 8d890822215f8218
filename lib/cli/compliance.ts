// `npx lucid compliance [--json] [--port N] [--user U] FILE...`: the compliance rules for CI, on
// Dockerfiles alone (no server, no database, no checkout). Exit codes: 0 clean, 1 an error-severity
// rule failed (or a file is not a Dockerfile that could build), 2 a file could not be read or the
// arguments are wrong.
import { readFile, stat } from "node:fs/promises";
import { analyseDockerfile } from "@/lib/compliance/analyse";
import { MAX_DOCKERFILE_BYTES } from "@/lib/compliance/dockerfile";
import { countResults, findingResult } from "@/lib/compliance/status";
import { DEFAULT_EXPECTED_USER, type Finding } from "@/lib/compliance/types";

export type ComplianceCommandOptions = { json?: boolean; port?: string; user?: string };

/** One file's result as `--json` prints it. */
export type ComplianceFileReport = { file: string; findings: Pick<Finding, "rule" | "status" | "severity" | "line" | "message">[] };

type FileResult = { file: string; findings: Finding[]; parseError: string | null; unreadable: boolean };

const USER_PATTERN = /^[^\s:]+(?::[^\s:]+)?$/;

export async function complianceCommand(files: string[], opts: ComplianceCommandOptions): Promise<number> {
  const usage = usageProblem(files, opts);
  if (usage) {
    console.error(`lucid compliance: ${usage}`);
    console.error("usage: lucid compliance [--json] [--port N] [--user UID:GID] FILE...");
    return 2;
  }
  const plan = { port: opts.port === undefined ? null : Number(opts.port), expectedUser: opts.user ?? DEFAULT_EXPECTED_USER };
  const results: FileResult[] = [];
  for (const file of files) results.push(await checkFile(file, plan));

  if (opts.json) console.log(JSON.stringify(results.map(toReport), null, 2));
  else for (const line of results.flatMap(describeResult)) console.log(line);
  return exitCode(results);
}

function usageProblem(files: string[], opts: ComplianceCommandOptions): string | null {
  if (files.length === 0) return "give at least one Dockerfile";
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
    return { file, findings: [finding], parseError: null, unreadable: true };
  }
  const { findings, parseError } = analyseDockerfile(text, plan, {}, file);
  return { file, findings, parseError, unreadable: false };
}

function toReport(result: FileResult): ComplianceFileReport {
  return { file: result.file, findings: result.findings.map(({ rule, status, severity, line, message }) => ({ rule, status, severity, line, message })) };
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

function exitCode(results: FileResult[]): number {
  if (results.some((r) => r.unreadable)) return 2;
  if (results.some((r) => r.parseError !== null || r.findings.some((f) => f.status === "fail" && f.severity === "error"))) return 1;
  return 0;
}
