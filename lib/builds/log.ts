// The kept build log: plain text lines in a file, capped in size, with live subscribers and a tail in memory.
import { closeSync, constants, ftruncateSync, mkdirSync, openSync, writeSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import stripAnsi from "strip-ansi";
import type { Env } from "@/lib/env";

export const DEFAULT_LOG_MAX_BYTES = 2 * 1024 * 1024;
const DEFAULT_TAIL_LINES = 200;

/** 1-based, in the order written; lines past the cap keep their numbers for live subscribers but are not stored. */
export type LogLine = { n: number; text: string };

export type LogSummary = {
  lines: number;
  keptLines: number;
  /** Bytes written past the cap that were dropped (text plus newline). */
  droppedBytes: number;
  truncated: boolean;
  /**
   * Why the file is incomplete ("ENOSPC: no space left on device, write"), from the first failed write; the log
   * keeps feeding subscribers and the tail after it. Shown as "log incomplete: …" on the build page and API.
   */
  writeError: string | null;
};

export type LogListener = { line: (line: LogLine) => void; end?: (summary: LogSummary) => void };

export type BuildLogOptions = {
  /** The file's size cap; LUCID_LOG_MAX_BYTES or 2 MiB unless set. */
  maxBytes?: number;
  /** How many recent lines tail() can return. */
  tailLines?: number;
  /** Opens the file for writing and returns its descriptor; tests hand in a device that fails writes. */
  openFile?: (file: string) => number;
};

/**
 * A new file only: never an existing one (another build's leftover after a database reset), never through a
 * link (O_EXCL with O_CREAT does not follow one), so a log belongs to its build alone.
 */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | constants.O_NOFOLLOW;

export class LogFileError extends Error {
  override name = "LogFileError";
}

function createLogFile(file: string): number {
  try {
    return openSync(file, CREATE_NEW, 0o640);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new LogFileError(`the build log ${file} already exists; a build never writes into another build's log`);
    }
    throw error;
  }
}

/** C0 and C1 control characters except tab; ANSI sequences are removed first, so their ESC never reaches this. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

/**
 * One build's log, in a file it creates. Writes are synchronous and whole lines, so a reader of the file never
 * sees half a line and `lines` always matches what readLog returns up to the cap.
 */
export class BuildLog {
  readonly file: string;
  readonly maxBytes: number;
  private readonly tailCapacity: number;
  private fd: number | null;
  private lineCount = 0;
  private keptLines = 0;
  private fileBytes = 0;
  private droppedBytes = 0;
  /** Where the truncation line starts; it is rewritten with the final count at close. */
  private markerOffset: number | null = null;
  private recent: LogLine[] = [];
  private readonly listeners = new Set<LogListener>();
  private summary: LogSummary | null = null;
  private writeError: string | null = null;

  constructor(file: string, options: BuildLogOptions = {}) {
    this.file = path.resolve(file);
    this.maxBytes = options.maxBytes ?? logMaxBytesFromEnv();
    this.tailCapacity = options.tailLines ?? DEFAULT_TAIL_LINES;
    mkdirSync(path.dirname(this.file), { recursive: true });
    this.fd = (options.openFile ?? createLogFile)(this.file);
  }

  /** Lines numbered so far, stored or not. */
  get lines(): number {
    return this.lineCount;
  }

  get truncated(): boolean {
    return this.markerOffset !== null;
  }

  /** One line; embedded newlines make several. Ignored after close. */
  write(text: string): void {
    if (this.summary !== null) return;
    for (const part of text.replace(/\r?\n$/, "").split(/\r?\n/)) this.writeLine(cleanLogText(part));
  }

  /** Live lines from now on, then `end` once at close (at once if already closed). Returns the unsubscribe. */
  subscribe(listener: LogListener): () => void {
    if (this.summary !== null) {
      listener.end?.(this.summary);
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last n lines, including lines past the cap: a failure's cause is usually at the end. */
  tail(n: number): LogLine[] {
    return n > 0 ? this.recent.slice(-n) : [];
  }

  close(): LogSummary {
    if (this.summary !== null) return this.summary;
    if (this.markerOffset !== null) this.rewriteMarker(this.markerOffset);
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) callSafely(() => closeSync(fd));
    const summary: LogSummary = {
      lines: this.lineCount,
      keptLines: this.keptLines,
      droppedBytes: this.droppedBytes,
      truncated: this.truncated,
      writeError: this.writeError,
    };
    this.summary = summary;
    for (const listener of this.listeners) callSafely(() => listener.end?.(summary));
    this.listeners.clear();
    return summary;
  }

  private writeLine(text: string): void {
    const failedBefore = this.writeError !== null;
    this.publish({ n: ++this.lineCount, text });
    this.store(text);
    if (!failedBefore && this.writeError !== null) {
      // Said to live readers right after the line that could not be stored; the file cannot take it.
      this.publish({ n: ++this.lineCount, text: `[${logIncompleteText(this.writeError, this.keptLines)}]` });
    }
  }

  private publish(line: LogLine): void {
    this.remember(line);
    for (const listener of this.listeners) {
      if (!callSafely(() => listener.line(line))) this.listeners.delete(listener);
    }
  }

  private remember(line: LogLine): void {
    this.recent.push(line);
    if (this.recent.length > this.tailCapacity) this.recent.splice(0, this.recent.length - this.tailCapacity);
  }

  private store(text: string): void {
    const bytes = Buffer.byteLength(text) + 1;
    if (this.markerOffset === null && this.fileBytes + bytes <= this.maxBytes) {
      if (this.append(`${text}\n`)) this.keptLines++;
      return;
    }
    this.droppedBytes += bytes;
    if (this.markerOffset === null) {
      this.markerOffset = this.fileBytes;
      this.append(truncationLine(this.maxBytes, this.droppedBytes));
    }
  }

  private rewriteMarker(offset: number): void {
    if (this.fd === null) return;
    try {
      ftruncateSync(this.fd, offset);
      this.fileBytes = offset;
    } catch (error) {
      this.failWriting(error);
      return;
    }
    this.append(truncationLine(this.maxBytes, this.droppedBytes));
  }

  /** True when `data` reached the file. */
  private append(data: string): boolean {
    if (this.fd === null) return false;
    try {
      this.fileBytes += writeSync(this.fd, data);
      return true;
    } catch (error) {
      this.failWriting(error);
      return false;
    }
  }

  /** A full disk must not crash the runner: stop writing, remember why, keep serving live readers. */
  private failWriting(error: unknown): void {
    this.writeError ??= error instanceof Error ? error.message : String(error);
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) callSafely(() => closeSync(fd));
  }
}

/** What a reader gets: the stored lines, and why the file could not be read in full (null when it was). */
export type LogRead = { lines: LogLine[]; problem: string | null };

/** Room for the truncation line that BuildLog writes past the cap. */
const MARKER_ROOM = 1024;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * A finished (or running) build's stored lines from fromLine on; a line still being written is left out. Only
 * a regular file, opened without following a link (O_NONBLOCK, so a FIFO cannot hang the reader), and at most
 * the cap plus the truncation line is read, whatever size the file has grown to. Throws LogFileError when the
 * path is not a log file that can be read.
 */
export async function readLog(file: string, options: { fromLine?: number; maxBytes?: number } = {}): Promise<LogRead> {
  const limit = (options.maxBytes ?? readCapFromEnv()) + MARKER_ROOM;
  let handle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP") throw new LogFileError("the log path is a symbolic link; it is not followed");
    if (code === "ENOENT") throw new LogFileError("the log file is no longer there");
    throw new LogFileError(`the log file cannot be opened (${code ?? (error as Error).message})`);
  }
  try {
    return await readOpenLog(handle, limit, options.fromLine);
  } catch (error) {
    if (error instanceof LogFileError) throw error;
    throw new LogFileError(`the log file could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  } finally {
    await handle.close();
  }
}

async function readOpenLog(handle: FileHandle, limit: number, fromLine: number | undefined): Promise<LogRead> {
  const stat = await handle.stat();
  if (!stat.isFile()) throw new LogFileError("the log path is not a regular file; it is not read");
  const wanted = Math.min(stat.size, limit);
  const buffer = Buffer.alloc(wanted);
  let got = 0;
  while (got < wanted) {
    const { bytesRead } = await handle.read(buffer, got, wanted - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  const parts = buffer.subarray(0, got).toString("utf8").split("\n");
  parts.pop(); // "" after the last newline, or a line not finished yet (or cut at the read cap)
  const from = Math.max(1, Math.floor(fromLine ?? 1));
  const lines = parts.slice(from - 1).map((text, index) => ({ n: from + index, text }));
  const problem = stat.size > limit ? `the log file is ${stat.size} bytes, more than a log may hold; only its first ${limit} bytes were read` : null;
  return { lines, problem };
}

/** The build page's and API's words for a log whose file could not be written in full. */
export function logIncompleteText(writeError: string, keptLines: number): string {
  return `log incomplete: ${writeError} (lines after ${keptLines} were not kept)`;
}

function readCapFromEnv(): number {
  try {
    return logMaxBytesFromEnv();
  } catch {
    return DEFAULT_LOG_MAX_BYTES;
  }
}

/** LUCID_LOG_MAX_BYTES, or 2 MiB when unset. */
export function logMaxBytesFromEnv(env: Env = process.env): number {
  const configured = env.LUCID_LOG_MAX_BYTES?.trim();
  if (!configured) return DEFAULT_LOG_MAX_BYTES;
  const bytes = /^\d+$/.test(configured) ? Number(configured) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new Error(`LUCID_LOG_MAX_BYTES must be a positive whole number of bytes, not ${JSON.stringify(configured)}`);
  }
  return bytes;
}

/** Text as stored: no ANSI escape sequences, no control characters but tab. */
export function cleanLogText(text: string): string {
  return stripAnsi(text).replace(CONTROL_CHARACTERS, "");
}

function truncationLine(maxBytes: number, droppedBytes: number): string {
  return `[log truncated at ${formatCap(maxBytes)}: ${droppedBytes} more bytes not kept]\n`;
}

/** Binary units with the short names people read on the page: 2 MiB shows as "2.0 MB". */
export function formatCap(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

function callSafely(action: () => void): boolean {
  try {
    action();
    return true;
  } catch {
    return false;
  }
}
