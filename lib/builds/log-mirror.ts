// A running build's log copied into the database as it is written, so an instance that shares the database but not
// the runner's disk (several instances on PostgreSQL) can follow the log during the build and read it afterwards. The
// file on the runner stays the log's record there; these chunks are what the other instances read.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { formatCap, type BuildLog, type LogLine } from "@/lib/builds/log";

type Db = PrismaClient | Prisma.TransactionClient;

/** How long lines wait to be written together: a reader elsewhere sees them this much (plus its poll) later. */
export const MIRROR_FLUSH_MS = 250;
const CHUNK_MAX_LINES = 500;
const CHUNK_MAX_BYTES = 64 * 1024;
/** A failed write is tried again this much later, new lines or not. */
const RETRY_MS = 1_000;
/**
 * Chunks read per query by a follower. A copy holds at most the log's size cap (2 MiB by default), so even a whole
 * log read in one query is bounded; a slow build writes many small chunks, which this keeps to a few queries.
 */
const READ_CHUNKS = 1_000;

export type LogMirrorOptions = { flushMs?: number; /** The copy's cap; the log file's by default. */ maxBytes?: number };

/**
 * Subscribes to a BuildLog and writes its lines in chunks (one row per flush, at most 500 lines or 64 KiB), one write
 * at a time so chunks commit in line order. Like the file, the copy stops at the log's size cap with a line saying
 * so. A failed write keeps its lines for the next flush: the build goes on whether or not the database takes them.
 */
export class LogMirror {
  private pending: LogLine[] = [];
  /**
   * A chunk whose write failed: written again exactly as it was, so a write that did commit despite the error leaves
   * only a duplicate of the same lines (readers skip line numbers they have), never a different chunk.
   */
  private unsent: LogLine[] | null = null;
  private keptBytes = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private readonly unsubscribe: () => void;
  private readonly flushMs: number;
  private readonly maxBytes: number;
  /** Why the last write failed, while its lines wait for the next. */
  private failure: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly buildId: number,
    log: BuildLog,
    options: LogMirrorOptions = {},
  ) {
    this.flushMs = options.flushMs ?? MIRROR_FLUSH_MS;
    this.maxBytes = options.maxBytes ?? log.maxBytes;
    this.unsubscribe = log.subscribe({ line: (line) => this.add(line) });
  }

  /**
   * Writes what is left and stops. Never throws, so a build is recorded whatever the database did; returns why the
   * copy lacks lines at its end (null when it is whole).
   */
  async close(): Promise<string | null> {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.writing;
    await this.drain();
    const missing = (this.unsent?.length ?? 0) + this.pending.length;
    return missing === 0 ? null : `the database's copy of the log, read by other instances, lacks its last ${missing} lines: ${this.failure}`;
  }

  private add(line: LogLine): void {
    if (this.stopped) return;
    const bytes = Buffer.byteLength(line.text) + 1;
    if (this.keptBytes + bytes > this.maxBytes) {
      this.stopped = true;
      this.pending.push({ n: line.n, text: `[log truncated at ${formatCap(this.maxBytes)}: later lines were not kept]` });
    } else {
      this.keptBytes += bytes;
      this.pending.push(line);
    }
    this.schedule(this.flushMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.writing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writing = this.drain().finally(() => {
        this.writing = null;
        // After a failure, tried again on its own: a quiet build step may add no line for minutes.
        if (this.unsent || this.pending.length > 0) this.schedule(this.failure === null ? this.flushMs : RETRY_MS);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  private async drain(): Promise<void> {
    while (this.unsent || this.pending.length > 0) {
      const batch = (this.unsent ??= this.pending.splice(0, chunkLength(this.pending)));
      try {
        await this.db.buildLogChunk.create({ data: { buildId: this.buildId, firstLine: batch[0]!.n, lines: batch.map((l) => l.text).join("\n") } });
      } catch (error) {
        // Kept for the next try (or close); later lines stay behind it, so the copy never has a gap.
        this.failure = (error as Error).message;
        return;
      }
      this.unsent = null;
      this.failure = null;
    }
  }
}

/** How many of the pending lines the next chunk takes. */
function chunkLength(pending: LogLine[]): number {
  let bytes = 0;
  let count = 0;
  for (const line of pending) {
    bytes += Buffer.byteLength(line.text) + 1;
    if (count > 0 && (count >= CHUNK_MAX_LINES || bytes > CHUNK_MAX_BYTES)) break;
    count++;
  }
  return count;
}

/** Where a follower of the copy is: the first line of the last chunk it read (0 before any). */
export type MirrorCursor = { afterChunk: number };

/** The copied lines of the chunks after the cursor, in order, moving the cursor on; [] when none is new. */
export async function readMirroredLines(db: Db, buildId: number, cursor: MirrorCursor): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for (;;) {
    const chunks = await db.buildLogChunk.findMany({
      where: { buildId, firstLine: { gt: cursor.afterChunk } },
      orderBy: { firstLine: "asc" },
      take: READ_CHUNKS,
      select: { firstLine: true, lines: true },
    });
    for (const chunk of chunks) {
      chunk.lines.split("\n").forEach((text, index) => lines.push({ n: chunk.firstLine + index, text }));
      cursor.afterChunk = chunk.firstLine;
    }
    if (chunks.length < READ_CHUNKS) return lines;
  }
}
