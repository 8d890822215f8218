// `npx lucid compliance`: exit codes, the --json shape and the text report, by calling the command directly.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { complianceCommand, type ComplianceFileReport } from "@/lib/cli/compliance";
import { main } from "@/lib/cli/main";
import { FIXTURE_ROOT, hasLucidFixtures, SMALL_CHECKOUT } from "@/lib/testing/lucid-fixtures";
import { DOCKERFILE_RULES } from "@/lib/compliance/rules";

const SESSION_API = path.join(FIXTURE_ROOT, "sessions/Dockerfile.api");
const GUI = path.join(FIXTURE_ROOT, "infrastructure/docker/distroless/gui/Dockerfile.gui");
// The same two images as small Dockerfiles written here: the same faults, on their own lines.
const SMALL_API = path.join(SMALL_CHECKOUT, "sessions/Dockerfile.api");
const SMALL_GUI = path.join(SMALL_CHECKOUT, "infrastructure/docker/distroless/gui/Dockerfile.gui");
const real = it.skipIf(!hasLucidFixtures);
const DIGEST = `sha256:${"a".repeat(64)}`;
const CLEAN = `FROM golang:1.22@${DIGEST} AS build\nFROM gcr.io/distroless/static@${DIGEST}\n` + "COPY --from=build /app /app\nUSER 65532:65532\nEXPOSE 8080\nHEALTHCHECK CMD [\"/app\", \"health\"]\nENTRYPOINT [\"/app\"]\n";

let dir: string;
let stdout: string[];
let stderr: string[];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lucid-compliance-cli-"));
  stdout = [];
  stderr = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void stdout.push(args.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void stderr.push(args.join(" ")));
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const full = path.join(dir, name);
  await writeFile(full, text);
  return full;
}

describe("lucid compliance", () => {
  it("exits 0 for a clean Dockerfile and prints a summary line", async () => {
    const clean = await file("Dockerfile", CLEAN);
    expect(await complianceCommand([clean], { port: "8080" })).toBe(0);
    expect(stdout).toEqual([`${clean}: 0 fail, 0 warning, 12 pass, 0 not checked`]);
  });

  it("exits 0 when only warning-level rules fail, listing them hadolint-style (small fixture)", async () => {
    expect(await complianceCommand([SMALL_API], { port: "8090" })).toBe(0);
    expect(stdout).toContain(`${SMALL_API}:15 port-matches-plan warning the final image EXPOSEs 8113, but the plan's port is 8090; the HEALTHCHECK probes 8113`);
    expect(stdout.at(-1)).toBe(`${SMALL_API}: 0 fail, 2 warning, 10 pass, 0 not checked`);
  });

  it("exits 1 when an error-level rule fails (small fixture)", async () => {
    expect(await complianceCommand([SMALL_API, SMALL_GUI], {})).toBe(1);
    expect(stdout).toContain(`${SMALL_GUI}:4 non-root-user fail no USER, and gcr.io/distroless/base-debian12:latest runs as root by default (only the distroless nonroot and debug-nonroot tags run as 65532)`);
  });

  real("exits 0 when only warning-level rules fail, listing them hadolint-style", async () => {
    expect(await complianceCommand([SESSION_API], { port: "8090" })).toBe(0);
    expect(stdout).toContain(`${SESSION_API}:158 port-matches-plan warning the final image EXPOSEs 8113, but the plan's port is 8090; the HEALTHCHECK probes 8113`);
    expect(stdout.at(-1)).toBe(`${SESSION_API}: 0 fail, 3 warning, 9 pass, 0 not checked`);
  });

  real("exits 1 when an error-level rule fails", async () => {
    expect(await complianceCommand([SESSION_API, GUI], {})).toBe(1);
    expect(stdout).toContain(`${GUI}:146 non-root-user fail no USER, and gcr.io/distroless/base-debian12:latest runs as root by default (only the distroless nonroot and debug-nonroot tags run as 65532)`);
  });

  it("exits 1 for a file that is not a Dockerfile that could build", async () => {
    const empty = await file("Empty", "");
    expect(await complianceCommand([empty], {})).toBe(1);
    expect(stdout[0]).toBe(`${empty}: not analysed: the Dockerfile is empty`);
  });

  it("prints exactly [{ file, parseError, findings: [{ rule, status, severity, line, message, result }], facts }] with --json", async () => {
    const api = hasLucidFixtures ? SESSION_API : SMALL_API;
    const clean = await file("Dockerfile", CLEAN);
    expect(await complianceCommand([clean, api], { json: true, port: "8090", user: "65532:65532" })).toBe(0);
    const reports = JSON.parse(stdout.join("\n")) as ComplianceFileReport[];
    expect(reports.map((r) => r.file)).toEqual([clean, api]);
    for (const report of reports) {
      expect(Object.keys(report)).toEqual(["file", "parseError", "findings", "facts"]);
      expect(report.findings.map((f) => f.rule)).toEqual(DOCKERFILE_RULES.map((r) => r.id));
      for (const f of report.findings) expect(Object.keys(f)).toEqual(["rule", "status", "severity", "line", "message", "result"]);
    }
    expect(reports[0]!.facts).toEqual({
      finalBase: `gcr.io/distroless/static@${DIGEST}`,
      user: { value: "65532:65532", source: "USER", line: 4 },
      exposed: ["8080"],
      stages: [
        { index: 0, alias: "build", from: `golang:1.22@${DIGEST}`, line: 1, image: true, final: false, used: true, unresolved: [] },
        { index: 1, alias: null, from: `gcr.io/distroless/static@${DIGEST}`, line: 2, image: true, final: true, used: true, unresolved: [] },
      ],
    });
    expect(reports[1]!.findings.find((f) => f.rule === "port-matches-plan")).toEqual({
      rule: "port-matches-plan",
      status: "fail",
      severity: "warning",
      line: hasLucidFixtures ? 158 : 15,
      message: "the final image EXPOSEs 8113, but the plan's port is 8090; the HEALTHCHECK probes 8113",
      result: "warning",
    });
  });

  it("--format json names the parse error and leaves facts out when a file cannot be analysed", async () => {
    const empty = await file("Empty", "");
    expect(await complianceCommand([empty], { format: "json" })).toBe(1);
    const [report] = JSON.parse(stdout.join("\n")) as ComplianceFileReport[];
    expect(report).toMatchObject({ parseError: "the Dockerfile is empty", facts: null });
    expect(report!.findings.filter((f) => f.rule !== "dockerfile-present").every((f) => f.result === "not_checked")).toBe(true);
  });

  it("--format sarif writes SARIF 2.1.0 with the rules, a result per fail or warning, and file/line regions", async () => {
    const gui = hasLucidFixtures ? GUI : SMALL_GUI;
    expect(await complianceCommand([gui], { format: "sarif" })).toBe(1);
    const sarif = JSON.parse(stdout.join("\n"));
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe("lucid-compliance");
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([...DOCKERFILE_RULES.map((r) => r.id), "dockerfile-parse"]);
    const nonRoot = run.results.find((r: { ruleId: string }) => r.ruleId === "non-root-user");
    // Relative to where it runs (the repository root in CI); a file outside it keeps its absolute path.
    const relative = path.relative(process.cwd(), gui);
    const uri = relative.startsWith("..") ? gui : relative;
    expect(nonRoot).toMatchObject({ level: "error", locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: hasLucidFixtures ? 146 : 4 } } }] });
    expect(run.results.every((r: { level: string }) => r.level === "error" || r.level === "warning")).toBe(true);
  });

  it("--fail-on sets what exits 1: warnings too, or nothing", async () => {
    const api = hasLucidFixtures ? SESSION_API : SMALL_API;
    expect(await complianceCommand([api], { port: "8090" })).toBe(0);
    expect(await complianceCommand([api], { port: "8090", failOn: "warning" })).toBe(1);
    const gui = hasLucidFixtures ? GUI : SMALL_GUI;
    expect(await complianceCommand([gui], { failOn: "never" })).toBe(0);
    expect(await complianceCommand([gui], { failOn: "sometimes" })).toBe(2);
    expect(await complianceCommand([gui], { format: "xml" })).toBe(2);
  });

  it("uses --user as the expected user", async () => {
    const lucid = await file("Dockerfile", CLEAN.replace("USER 65532:65532", "USER 1000:1000"));
    await complianceCommand([lucid], { json: true, user: "1000:1000" });
    const [report] = JSON.parse(stdout.join("\n")) as ComplianceFileReport[];
    expect(report!.findings.find((f) => f.rule === "expected-user")!.status).toBe("pass");
  });

  it("exits 2 for an unreadable file, still checking the others, and reports it in the JSON", async () => {
    const clean = await file("Dockerfile", CLEAN);
    const missing = path.join(dir, "missing");
    expect(await complianceCommand([missing, clean], { json: true })).toBe(2);
    const reports = JSON.parse(stdout.join("\n")) as ComplianceFileReport[];
    expect(reports[0]).toEqual({
      file: missing,
      parseError: null,
      findings: [{ rule: "dockerfile-present", status: "fail", severity: "error", line: null, message: expect.stringContaining(`cannot read ${missing}: ENOENT`), result: "fail" }],
      facts: null,
    });
    expect(reports[1]!.findings).toHaveLength(DOCKERFILE_RULES.length);
    expect(await complianceCommand([dir], {})).toBe(2);
  });

  it("exits 2 on usage errors", async () => {
    expect(await complianceCommand([], {})).toBe(2);
    expect(await complianceCommand(["x"], { port: "http" })).toBe(2);
    expect(await complianceCommand(["x"], { port: "70000" })).toBe(2);
    expect(await complianceCommand(["x"], { user: "a b" })).toBe(2);
    expect(stderr.filter((l) => l.startsWith("usage:"))).toHaveLength(4);
  });

  it("is registered in the lucid command line; commander's usage errors exit 2 too", async () => {
    const lucid = (...args: string[]) => main(["node", "lucid", "compliance", ...args]);
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    expect(await lucid("--port", "8090", hasLucidFixtures ? SESSION_API : SMALL_API)).toBe(0);
    expect(await lucid(hasLucidFixtures ? GUI : SMALL_GUI)).toBe(1);
    expect(await lucid("--no-such-flag", hasLucidFixtures ? GUI : SMALL_GUI)).toBe(2);
    expect(await lucid("--port")).toBe(2);
    expect(await lucid("--help")).toBe(0);
  });
});

describe("npx lucid compliance, as CI runs it", () => {
  it("runs compiled from bin/lucid.mjs: the same verdict and exit code, in a separate process", async () => {
    const { execFileSync } = await import("node:child_process");
    const gui = await file("Dockerfile.gui", "FROM debian:12 AS build\nRUN make\nFROM gcr.io/distroless/base-debian12:latest\nCOPY --from=build /app /app\n");
    let status = 0;
    let out = "";
    try {
      out = execFileSync(process.execPath, ["bin/lucid.mjs", "compliance", "--format", "json", gui], { encoding: "utf8" });
    } catch (error) {
      status = (error as { status: number }).status;
      out = (error as { stdout: string }).stdout;
    }
    expect(status).toBe(1);
    const [report] = JSON.parse(out) as ComplianceFileReport[];
    expect(report!.findings.find((f) => f.rule === "non-root-user")).toMatchObject({ result: "fail", line: 3 });
    expect(report!.facts?.user).toEqual({ value: "0:0", source: "base image default", line: null });
  });
});
