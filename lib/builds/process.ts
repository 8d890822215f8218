// Runs builder steps as child processes: no shell, one process group per step, lines streamed as they come.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Readable } from "node:stream";
import type { Step } from "@/lib/builds/backends";
import { displayCommand } from "@/lib/format";

export type LineStream = "stdout" | "stderr" | "system";

export type RunOptions = {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** For the whole run, not per step. */
  timeoutMs: number;
  signal?: AbortSignal;
  onLine: (line: string, stream: LineStream) => void;
  onSpawn?: (pid: number, step: Step) => void;
  /** Between SIGTERM and SIGKILL to a step's process group; 5 s unless set. */
  killGraceMs?: number;
  /** Each `always` step's own time limit, since it also runs after a timeout or cancel; 60 s unless set. */
  cleanupTimeoutMs?: number;
};

export type RunOutcome = "succeeded" | "failed" | "timed_out" | "cancelled" | "spawn_error";

export type RunResult = { outcome: RunOutcome; exitCode: number | null; failedStep: string | null; message: string | null };

const DEFAULT_KILL_GRACE_MS = 5_000;
const DEFAULT_CLEANUP_TIMEOUT_MS = 60_000;
const MAX_LINE_BYTES = 8 * 1024;
/** How long stdout/stderr may stay open after a step exited (a descendant that left the group holds them). */
const STREAM_DRAIN_MS = 1_000;

type StepOutcome = Omit<RunResult, "failedStep">;
type StopReason = "timed_out" | "cancelled";
/** What one step may use: the run's deadline and signal, or, for cleanup after a failure, its own. */
type StepLimits = { deadline: number; signal: AbortSignal | undefined; describeTimeout: string };

const SUCCEEDED: RunResult = { outcome: "succeeded", exitCode: 0, failedStep: null, message: null };

/**
 * Runs the steps in order. After a step fails, times out or is cancelled, the rest are skipped except `always`
 * steps, which run with their own limit and whose failure does not change the outcome.
 */
export async function runSteps(steps: Step[], options: RunOptions): Promise<RunResult> {
  assertTimeout("timeoutMs", options.timeoutMs);
  if (options.cleanupTimeoutMs !== undefined) assertTimeout("cleanupTimeoutMs", options.cleanupTimeoutMs);
  const runLimits: StepLimits = {
    deadline: Date.now() + options.timeoutMs,
    signal: options.signal,
    describeTimeout: `timed out after ${formatMs(options.timeoutMs)}`,
  };
  let result: RunResult = { ...SUCCEEDED };
  for (const step of steps) {
    if (result.outcome !== "succeeded" && !step.always) {
      options.onLine(`[skipped: ${step.label}]`, "system");
      continue;
    }
    const limits = step.always ? cleanupLimits(options) : runLimits;
    const outcome = await runStep(step, options, limits);
    if (result.outcome === "succeeded" && !step.always && outcome.outcome !== "succeeded") result = { ...outcome, failedStep: step.label };
  }
  return result;
}

// setTimeout fires at once for delays past 2^31 - 1 ms, which would end every build immediately.
const MAX_TIMER_MS = 2 ** 31 - 1;

function assertTimeout(name: string, ms: number): void {
  if (!Number.isInteger(ms) || ms <= 0 || ms > MAX_TIMER_MS) {
    throw new RangeError(`${name} must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}, not ${ms}`);
  }
}

function cleanupLimits(options: RunOptions): StepLimits {
  const timeoutMs = options.cleanupTimeoutMs ?? DEFAULT_CLEANUP_TIMEOUT_MS;
  return { deadline: Date.now() + timeoutMs, signal: undefined, describeTimeout: `cleanup timed out after ${formatMs(timeoutMs)}` };
}

async function runStep(step: Step, options: RunOptions, limits: StepLimits): Promise<StepOutcome> {
  options.onLine(`$ ${displayCommand([step.command, ...step.args])}`, "system");
  if (limits.signal?.aborted) return notStarted("cancelled", "cancelled", options);
  if (Date.now() >= limits.deadline) return notStarted("timed_out", limits.describeTimeout, options);
  let child: ChildProcess;
  try {
    // detached: the step leads its own process group, so a stop reaches everything it started.
    child = spawn(step.command, step.args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    return spawnFailure(step, error, options);
  }
  return superviseChild(child, step, options, limits);
}

/** Resolves once the step's process has exited and its output is read; stops the whole group on timeout or abort. */
function superviseChild(child: ChildProcess, step: Step, options: RunOptions, limits: StepLimits): Promise<StepOutcome> {
  return new Promise((resolve) => {
    const graceMs = options.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, action: () => void) => timers.add(setTimeout(action, Math.max(0, ms)));
    let stopReason: StopReason | null = null;
    let killSent = false;
    let spawnError: unknown = null;
    let closed: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let settled = false;

    const stdout = pipeLines(child.stdout, (line) => options.onLine(line, "stdout"));
    const stderr = pipeLines(child.stderr, (line) => options.onLine(line, "stderr"));

    const finish = () => {
      if (settled) return;
      settled = true;
      for (const timer of timers) clearTimeout(timer);
      limits.signal?.removeEventListener("abort", onAbort);
      stdout.end();
      stderr.end();
      if (spawnError !== null) resolve(spawnFailure(step, spawnError, options));
      else if (stopReason !== null) resolve({ outcome: stopReason, exitCode: closed?.code ?? null, message: stopMessage(stopReason, limits) });
      else resolve(exitOutcome(step, closed?.code ?? null, closed?.signal ?? null));
    };
    const sendKill = (pid: number) => {
      killSent = true;
      if (signalGroup(pid, "SIGKILL")) {
        options.onLine(`[still running ${formatMs(graceMs)} after SIGTERM: sent SIGKILL to process group ${pid}]`, "system");
      }
      if (closed !== null) finish();
    };
    const stop = (reason: StopReason) => {
      const pid = child.pid;
      if (stopReason !== null || closed !== null || pid === undefined) return;
      stopReason = reason;
      options.onLine(`[${stopMessage(reason, limits)}: sent SIGTERM to process group ${pid}]`, "system");
      signalGroup(pid, "SIGTERM");
      later(graceMs, () => sendKill(pid));
    };
    const onAbort = () => stop("cancelled");

    child.once("spawn", () => {
      if (child.pid !== undefined) options.onSpawn?.(child.pid, step);
    });
    child.on("error", (error) => {
      if (child.pid === undefined) spawnError = error;
    });
    child.once("exit", () => {
      // A descendant that left the group could hold the pipes open for ever; stop waiting for them.
      later(STREAM_DRAIN_MS, () => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      });
    });
    child.once("close", (code: number | null, signal: NodeJS.Signals | null) => {
      closed = { code, signal };
      const pid = child.pid;
      // After a stop, members that ignore SIGTERM outlive the leader: the pending SIGKILL finishes the step.
      if (stopReason !== null && !killSent && pid !== undefined && groupExists(pid)) return;
      finish();
    });

    later(limits.deadline - Date.now(), () => stop("timed_out"));
    limits.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function exitOutcome(step: Step, code: number | null, signal: NodeJS.Signals | null): StepOutcome {
  if (code === 0) return { outcome: "succeeded", exitCode: 0, message: null };
  const how = code !== null ? `exited with code ${code}` : `was killed by ${signal ?? "a signal"}`;
  return { outcome: "failed", exitCode: code, message: `${step.label}: ${step.command} ${how}` };
}

function stopMessage(reason: StopReason, limits: StepLimits): string {
  return reason === "timed_out" ? limits.describeTimeout : "cancelled";
}

function notStarted(reason: StopReason, message: string, options: RunOptions): StepOutcome {
  options.onLine(`[${message}]`, "system");
  return { outcome: reason, exitCode: null, message };
}

function spawnFailure(step: Step, error: unknown, options: RunOptions): StepOutcome {
  const code = error instanceof Error && "code" in error ? String(error.code) : null;
  const message =
    code !== "ENOENT"
      ? `cannot run ${step.command}: ${error instanceof Error ? error.message : String(error)}`
      : existsSync(options.cwd)
        ? `cannot run ${step.command}: not found on PATH (ENOENT)`
        : `cannot run ${step.command}: the working folder ${options.cwd} does not exist (ENOENT)`;
  options.onLine(`[${message}]`, "system");
  return { outcome: "spawn_error", exitCode: null, message };
}

/** Signals every process of the group led by pid; false when none is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

function groupExists(pid: number): boolean {
  return signalGroup(pid, 0);
}

function pipeLines(stream: Readable | null, emit: (line: string) => void): LineSplitter {
  const splitter = new LineSplitter(emit);
  stream?.on("data", (chunk: Buffer) => splitter.push(chunk));
  return splitter;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines. \r\n ends a line; a bare \r starts overwriting the line, as a terminal shows
 * progress, so only the last state before \n is kept. Lines are cut at maxBytes (on a UTF-8 boundary) with a
 * marker; the rest of the cut line is only counted.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private keptBytes = 0;
  private cutBytes = 0;
  private overwrite = false;
  private ended = false;

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const end = nextBreak(chunk, start);
      this.append(chunk.subarray(start, end === -1 ? chunk.length : end));
      if (end === -1) return;
      if (chunk[end] === LF) this.finishLine();
      else this.overwrite = true;
      start = end + 1;
    }
  }

  /** Emits a last line that had no newline. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.keptBytes > 0 || this.cutBytes > 0) this.finishLine();
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.overwrite) this.reset();
    const room = Math.max(0, this.maxBytes - this.keptBytes);
    const kept = bytes.subarray(0, room);
    if (kept.length > 0) this.parts.push(Buffer.from(kept));
    this.keptBytes += kept.length;
    this.cutBytes += bytes.length - kept.length;
  }

  private finishLine(): void {
    const line = Buffer.concat(this.parts);
    if (this.cutBytes === 0) this.emit(line.toString("utf8"));
    else {
      const whole = completeUtf8Length(line);
      const cut = this.cutBytes + line.length - whole;
      this.emit(`${line.subarray(0, whole).toString("utf8")} [line cut at ${formatLineCap(this.maxBytes)}: ${cut} more bytes]`);
    }
    this.reset();
  }

  private reset(): void {
    this.parts = [];
    this.keptBytes = 0;
    this.cutBytes = 0;
    this.overwrite = false;
  }
}

function nextBreak(chunk: Buffer, start: number): number {
  const lf = chunk.indexOf(LF, start);
  const cr = chunk.indexOf(CR, start);
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}

/** The length of the longest prefix that ends on a whole UTF-8 character. */
function completeUtf8Length(bytes: Buffer): number {
  let lead = bytes.length - 1;
  while (lead >= 0 && bytes.length - lead < 4 && ((bytes[lead] ?? 0) & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes.length;
  const first = bytes[lead] ?? 0;
  const size = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + size <= bytes.length ? bytes.length : lead;
}

function formatLineCap(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}
