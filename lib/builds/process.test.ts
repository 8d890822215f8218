import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Step } from "@/lib/builds/backends";
import { LineSplitter, type LineStream, type RunOptions, runSteps } from "@/lib/builds/process";

// Stand-in builders: small node scripts on PATH. Each appends its argv (as JSON) to $ARGV_LOG.
const STAND_INS: Record<string, string> = {
  "fake-builder": `
    recordArgv();
    process.stdout.write("\\x1b[34m#1 [internal] load build definition\\x1b[0m\\n");
    process.stdout.write("pushing 10%\\rpushing 50%\\rpushing 100%\\n");
    process.stderr.write("#2 DONE 0.1s\\r\\n");
    process.stdout.write("no newline at the end");`,
  "fail-3": `
    recordArgv();
    process.stdout.write("#5 ERROR: failed to solve\\n");
    process.exit(3);`,
  sleeper: `
    recordArgv();
    console.log("sleeping");
    setInterval(() => {}, 1000);`,
  stubborn: `
    process.on("SIGTERM", () => console.log("ignoring SIGTERM"));
    console.log("stubborn " + process.pid);
    setInterval(() => {}, 1000);`,
  // The grandchild does not share our stdout, so only the group kill (not a closed pipe) can end it.
  "parent-of-stubborn": `
    const { spawn } = require("node:child_process");
    const child = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], { stdio: ["ignore", "pipe", "ignore"] });
    child.stdout.once("data", () => {
      child.stdout.destroy();
      console.log("grandchild " + child.pid);
    });
    setInterval(() => {}, 1000);`,
};

const PRELUDE = `#!/usr/bin/env node
function recordArgv() { require("node:fs").appendFileSync(process.env.ARGV_LOG, JSON.stringify(process.argv.slice(2)) + "\\n"); }
`;

let bin: string;
let argvLog: string;

beforeAll(() => {
  bin = mkdtempSync(path.join(tmpdir(), "lucid-process-"));
  for (const [name, body] of Object.entries(STAND_INS)) {
    writeFileSync(path.join(bin, name), `${PRELUDE}${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  }
});

afterAll(() => rmSync(bin, { recursive: true, force: true }));

type Captured = { lines: Array<{ line: string; stream: LineStream }>; pids: number[] };

function options(overrides: Partial<RunOptions> = {}): { options: RunOptions; captured: Captured } {
  argvLog = path.join(bin, `argv-${Math.random().toString(36).slice(2)}.log`);
  const captured: Captured = { lines: [], pids: [] };
  return {
    captured,
    options: {
      cwd: bin,
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, ARGV_LOG: argvLog },
      timeoutMs: 10_000,
      killGraceMs: 300,
      onLine: (line, stream) => captured.lines.push({ line, stream }),
      onSpawn: (pid) => captured.pids.push(pid),
      ...overrides,
    },
  };
}

function recordedArgv(): string[][] {
  if (!existsSync(argvLog)) return [];
  return readFileSync(argvLog, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as string[]);
}

function step(command: string, args: string[] = [], extra: Partial<Step> = {}): Step {
  return { label: command, command, args, ...extra };
}

/** Zombies count as gone: this container's init may be slow to reap orphans. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** SIGKILL is delivered asynchronously: give the kernel a moment before calling a process a survivor. */
async function isGoneSoon(pid: number, withinMs = 1_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (isRunning(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

function textOf(captured: Captured, stream: LineStream): string[] {
  return captured.lines.filter((entry) => entry.stream === stream).map((entry) => entry.line);
}

describe("runSteps", () => {
  it("runs a step, announces it, and streams its lines with \\r progress settled", async () => {
    const { options: run, captured } = options();
    const result = await runSteps([step("fake-builder", ["buildx", "build", "--platform", "linux/arm64,linux/amd64"])], run);
    expect(result).toEqual({ outcome: "succeeded", exitCode: 0, failedStep: null, message: null });
    expect(textOf(captured, "system")).toEqual(["$ fake-builder buildx build --platform linux/arm64,linux/amd64"]);
    expect(textOf(captured, "stdout")).toEqual(["\x1b[34m#1 [internal] load build definition\x1b[0m", "pushing 100%", "no newline at the end"]);
    expect(textOf(captured, "stderr")).toEqual(["#2 DONE 0.1s"]);
    expect(recordedArgv()).toEqual([["buildx", "build", "--platform", "linux/arm64,linux/amd64"]]);
    expect(captured.pids).toHaveLength(1);
  });

  it("passes arguments verbatim: no shell sees them", async () => {
    const tricky = ["two words", `it's "quoted"`, "a; touch pwned", "$(touch pwned)", "`id`", "*", "$HOME", "> out"];
    const { options: run, captured } = options();
    expect((await runSteps([step("fake-builder", tricky)], run)).outcome).toBe("succeeded");
    expect(recordedArgv()).toEqual([tricky]);
    expect(existsSync(path.join(bin, "pwned"))).toBe(false);
    expect(textOf(captured, "system")[0]).toBe(`$ fake-builder 'two words' 'it'\\''s "quoted"' 'a; touch pwned' '$(touch pwned)' '\`id\`' '*' '$HOME' '> out'`);
  });

  it("reports a failing step with its exit code and skips the rest", async () => {
    const { options: run, captured } = options();
    const result = await runSteps([step("fail-3", [], { label: "build" }), step("fake-builder", ["push"], { label: "push" })], run);
    expect(result).toEqual({ outcome: "failed", exitCode: 3, failedStep: "build", message: "build: fail-3 exited with code 3" });
    expect(textOf(captured, "stdout")).toEqual(["#5 ERROR: failed to solve"]);
    expect(textOf(captured, "system")).toContain("[skipped: push]");
    expect(recordedArgv()).toEqual([[]]);
  });

  it("still runs always steps after a failure, without changing the outcome", async () => {
    const { options: run } = options();
    const steps = [step("fail-3", [], { label: "build" }), step("fake-builder", ["push"], { label: "push" }), step("fake-builder", ["manifest", "rm"], { label: "cleanup", always: true })];
    expect(await runSteps(steps, run)).toMatchObject({ outcome: "failed", exitCode: 3, failedStep: "build" });
    expect(recordedArgv()).toEqual([[], ["manifest", "rm"]]);

    const failingCleanup = [step("fake-builder", ["build"], { label: "build" }), step("fail-3", ["cleanup"], { label: "cleanup", always: true })];
    expect(await runSteps(failingCleanup, options().options)).toEqual({ outcome: "succeeded", exitCode: 0, failedStep: null, message: null });
  });

  it("turns a missing executable into spawn_error naming it", async () => {
    const { options: run, captured } = options();
    const steps = [step("lucid-no-such-builder", ["build"], { label: "build" }), step("fake-builder", ["cleanup"], { label: "cleanup", always: true })];
    const result = await runSteps(steps, run);
    expect(result).toEqual({ outcome: "spawn_error", exitCode: null, failedStep: "build", message: "cannot run lucid-no-such-builder: not found on PATH (ENOENT)" });
    expect(textOf(captured, "system")).toContain("[cannot run lucid-no-such-builder: not found on PATH (ENOENT)]");
    expect(recordedArgv()).toEqual([["cleanup"]]);
  });

  it("says when the working folder is what is missing", async () => {
    const { options: run } = options({ cwd: path.join(bin, "no-such-folder") });
    expect((await runSteps([step("fake-builder")], run)).message).toBe(`cannot run fake-builder: the working folder ${path.join(bin, "no-such-folder")} does not exist (ENOENT)`);
  });

  it("times out the whole run, not each step, and skips what is left", async () => {
    const { options: run, captured } = options({ timeoutMs: 400 });
    const started = Date.now();
    const steps = [step("fake-builder", ["quick"]), step("sleeper", [], { label: "build" }), step("fake-builder", ["push"], { label: "push" })];
    const result = await runSteps(steps, run);
    expect(result).toEqual({ outcome: "timed_out", exitCode: null, failedStep: "build", message: "timed out after 400 ms" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(textOf(captured, "system")).toContain(`[timed out after 400 ms: sent SIGTERM to process group ${captured.pids[1]}]`);
    expect(isRunning(captured.pids[1] ?? 0)).toBe(false);
    expect(recordedArgv()).toEqual([["quick"], []]);
  });

  it("cancels through an AbortSignal mid-run and still cleans up", async () => {
    const controller = new AbortController();
    const { options: run, captured } = options({ signal: controller.signal, onSpawn: (_pid, spawned) => spawned.label === "build" && setTimeout(() => controller.abort(), 150) });
    const steps = [step("sleeper", [], { label: "build" }), step("fake-builder", ["push"], { label: "push" }), step("fake-builder", ["cleanup"], { label: "cleanup", always: true })];
    const result = await runSteps(steps, run);
    expect(result).toEqual({ outcome: "cancelled", exitCode: null, failedStep: "build", message: "cancelled" });
    expect(recordedArgv()).toEqual([[], ["cleanup"]]);
    expect(textOf(captured, "system")).toContain("[skipped: push]");
  });

  it("does not start anything once the signal is aborted", async () => {
    const { options: run } = options({ signal: AbortSignal.abort() });
    expect(await runSteps([step("fake-builder", [], { label: "build" })], run)).toMatchObject({ outcome: "cancelled", failedStep: "build" });
    expect(recordedArgv()).toEqual([]);
  });

  it("sends SIGKILL after the grace period to a step that ignores SIGTERM", async () => {
    const pids: number[] = [];
    const { options: run, captured } = options({ timeoutMs: 300, killGraceMs: 300, onSpawn: (pid) => pids.push(pid) });
    const result = await runSteps([step("stubborn")], run);
    expect(result.outcome).toBe("timed_out");
    expect(textOf(captured, "stdout")).toContain("ignoring SIGTERM");
    expect(textOf(captured, "system")).toContain(`[still running 300 ms after SIGTERM: sent SIGKILL to process group ${pids[0]}]`);
    expect(isRunning(pids[0] ?? 0)).toBe(false);
  });

  it("stops the whole process group: a grandchild that ignores SIGTERM dies too", async () => {
    const controller = new AbortController();
    const { options: run, captured } = options({
      signal: controller.signal,
      onLine: (line, stream) => {
        captured.lines.push({ line, stream });
        if (line.startsWith("grandchild ")) controller.abort();
      },
    });
    const result = await runSteps([step("parent-of-stubborn")], run);
    const grandchild = Number(textOf(captured, "stdout")[0]?.split(" ")[1]);
    expect(result.outcome).toBe("cancelled");
    expect(grandchild).toBeGreaterThan(0);
    expect(await isGoneSoon(grandchild)).toBe(true);
    expect(textOf(captured, "system").some((line) => line.includes("sent SIGKILL"))).toBe(true);
  });

  it("refuses a timeout that setTimeout cannot hold", async () => {
    await expect(runSteps([], options({ timeoutMs: 2 ** 31 }).options)).rejects.toThrow(RangeError);
    await expect(runSteps([], options({ timeoutMs: 0 }).options)).rejects.toThrow(/timeoutMs/);
  });
});

describe("LineSplitter", () => {
  function split(chunks: Array<string | Buffer>, maxBytes?: number): string[] {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), maxBytes);
    for (const chunk of chunks) splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    splitter.end();
    return lines;
  }

  it("handles \\n, \\r\\n split across chunks, bare \\r overwrites and a partial last line", () => {
    expect(split(["a\nb\r", "\nc"])).toEqual(["a", "b", "c"]);
    expect(split(["10%\r20%\r", "100%\n", "\n"])).toEqual(["100%", ""]);
    expect(split(["done\r"])).toEqual(["done"]);
    expect(split(["x\r\r\n"])).toEqual(["x"]);
  });

  it("keeps multi-byte characters split across chunks whole", () => {
    const bytes = Buffer.from("größe ✓\n");
    expect(split([bytes.subarray(0, 3), bytes.subarray(3, 9), bytes.subarray(9)])).toEqual(["größe ✓"]);
  });

  it("cuts very long lines with a marker, on a character boundary", () => {
    expect(split(["a".repeat(20_000), "b".repeat(480), "\nnext\n"])).toEqual([`${"a".repeat(8192)} [line cut at 8 KiB: 12288 more bytes]`, "next"]);
    expect(split([`${"a".repeat(9)}é${"z".repeat(5)}\n`], 10)).toEqual([`${"a".repeat(9)} [line cut at 10 bytes: 7 more bytes]`]);
  });
});
