// The kept build log: plain text lines in a file, capped in size, with live subscribers and a tail in memory.
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import stripAnsi from "strip-ansi";

/** process.env or any plain object of variables (tests pass their own). */
type Environment = Readonly<Record<string, string | undefined>>;

export const DEFAULT_LOG_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_TAIL_LINES = 200;

/** 1-based, in the order written; lines past the cap keep their numbers for live subscribers but are not stored. */
export type LogLine = { n: number; text: string };

export type LogSummary = {
  lines: number;
  keptLines: number;
  /** Bytes written past the cap that were dropped (text plus newline). */
  droppedBytes: number;
  truncated: boolean;
  /** The first error writing the file; the log keeps feeding subscribers and the tail after it. */
  writeError: string | null;
};

export type LogListener = { line: (line: LogLine) => void; end?: (summary: LogSummary) => void };

export type BuildLogOptions = {
  /** The file's size cap; LUCID_LOG_MAX_BYTES or 2 MiB unless set. */
  maxBytes?: number;
  /** How many recent lines tail() can return. */
  tailLines?: number;
};

/** C0 and C1 control characters except tab; ANSI sequences are removed first, so their ESC never reaches this. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F]/g;

/**
 * One build's log. Writes are synchronous and whole lines, so a reader of the file never sees half a line and
 * `lines` always matches what readLog returns up to the cap. Appending to an existing file continues its
 * numbering and counts its bytes against the cap.
 */
export class BuildLog {
  readonly file: string;
  readonly maxBytes: number;
  private readonly tailCapacity: number;
  private fd: number | null;
  private lineCount: number;
  private keptLines: number;
  private fileBytes: number;
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
    this.fd = openSync(this.file, "a+");
    const existing = readFileSync(this.fd);
    this.fileBytes = existing.length;
    this.lineCount = this.keptLines = countNewlines(existing);
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
    const line = { n: ++this.lineCount, text };
    this.remember(line);
    this.store(text);
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
      this.append(`${text}\n`);
      this.keptLines++;
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

  private append(data: string): void {
    if (this.fd === null) return;
    try {
      this.fileBytes += writeSync(this.fd, data);
    } catch (error) {
      this.failWriting(error);
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

/** A finished (or running) build's stored lines from fromLine on; a line still being written is left out. */
export async function readLog(file: string, options: { fromLine?: number } = {}): Promise<LogLine[]> {
  const parts = (await readFile(file, "utf8")).split("\n");
  parts.pop(); // "" after the last newline, or a line not finished yet
  const from = Math.max(1, Math.floor(options.fromLine ?? 1));
  return parts.slice(from - 1).map((text, index) => ({ n: from + index, text }));
}

/** LUCID_LOG_MAX_BYTES, or 2 MiB when unset. */
export function logMaxBytesFromEnv(env: Environment = process.env): number {
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

export function truncationLine(maxBytes: number, droppedBytes: number): string {
  return `[log truncated at ${formatCap(maxBytes)}: ${droppedBytes} more bytes not kept]\n`;
}

/** Binary units with the short names people read on the page: 2 MiB shows as "2.0 MB". */
function formatCap(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${bytes} bytes`;
}

function countNewlines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) count++;
  return count;
}

function callSafely(action: () => void): boolean {
  try {
    action();
    return true;
  } catch {
    return false;
  }
}
