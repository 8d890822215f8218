// Following one build's log for a reader (the log route's server-sent events): replayed and then live when the build
// runs in this process, from the database's copy (lib/builds/log-mirror.ts) when another instance runs it, from the
// kept file (or that copy) once it has finished.
import { setTimeout as wait } from "node:timers/promises";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { LogFileError, readLog, type BuildLog, type LogLine } from "@/lib/builds/log";
import { readMirroredLines, type MirrorCursor } from "@/lib/builds/log-mirror";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * `line` events ({ n, text }), `notice` (the log is incomplete: the disk filled up, the file is larger than a log may
 * be), `problem` when the log cannot be read, and one `end`.
 */
export type LogEvent =
  | { event: "line"; data: LogLine }
  | { event: "notice" | "problem"; data: string }
  | { event: "end"; data: { status: string | null } };

export type FollowOptions = {
  /** The reader went away: stop without an `end`. */
  signal: AbortSignal;
  /** A build running in this process's log (lib/builds/log-hub.ts). */
  live: (buildId: number) => BuildLog | undefined;
  /** This instance's id: a finished build another instance ran is read from the database's copy first. */
  here: string;
  pollMs?: number;
  /** How long a build may stay queued before the reader is sent `end`, so a stuck queue holds no stream for ever. */
  maxWaitMs?: number;
};

const POLL_MS = 500;
const MAX_WAIT_MS = 60 * 60_000;

/** Emits the log's events until its `end` (or the signal); each line once, in order, by number. */
export async function followBuildLog(db: Db, id: number, emit: (event: LogEvent) => void, options: FollowOptions): Promise<void> {
  const { signal } = options;
  let sent = 0;
  const sendLine = (line: LogLine) => {
    if (line.n <= sent) return;
    sent = line.n;
    emit({ event: "line", data: line });
  };
  const finish = (status: string | null) => {
    if (!signal.aborted) emit({ event: "end", data: { status } });
  };
  const copy: MirrorCursor = { afterChunk: 0 };
  /** Sends the copy's new lines; true when the build has a copy at all. */
  const sendCopied = async () => {
    (await readMirroredLines(db, id, copy)).forEach(sendLine);
    return copy.afterChunk > 0;
  };

  let queuedSince = Date.now();
  while (!signal.aborted) {
    const build = await db.build.findUnique({ where: { id }, select: { status: true, logPath: true, logIncomplete: true, runner: true } });
    if (signal.aborted) return;
    if (!build) return finish(null);
    const live = options.live(id);
    if (live) {
      await followLive(live, sendLine, emit, signal);
      return finish(build.status);
    }
    if (build.status !== "queued" && build.status !== "running") {
      const ranElsewhere = build.runner !== null && build.runner !== options.here;
      if (!(ranElsewhere && (await sendCopied())) && build.logPath) {
        try {
          const stored = await readLog(build.logPath);
          stored.lines.forEach(sendLine);
          if (stored.problem) emit({ event: "notice", data: stored.problem });
        } catch (error) {
          if (!(error instanceof LogFileError)) throw error;
          if (!(await sendCopied())) emit({ event: "problem", data: error.message });
        }
      }
      if (build.logIncomplete) emit({ event: "notice", data: build.logIncomplete });
      return finish(build.status);
    }
    // Queued, or running in another instance (or about to start in this one): its copy, if it has one yet. Only a
    // build that stays queued is given up on; one running elsewhere is followed as long as it runs.
    await sendCopied();
    if (build.status !== "queued") queuedSince = Date.now();
    else if (Date.now() - queuedSince > (options.maxWaitMs ?? MAX_WAIT_MS)) return finish(build.status);
    await wait(options.pollMs ?? POLL_MS, undefined, { signal }).catch(() => {}); // an abort ends the loop
  }
}

/** Replays the file, then sends live lines until the log closes or the reader goes. */
async function followLive(live: BuildLog, sendLine: (line: LogLine) => void, emit: (event: LogEvent) => void, signal: AbortSignal): Promise<void> {
  let closed!: () => void;
  const ended = new Promise<void>((resolve) => (closed = resolve));
  // Subscribe before reading the file, so no line falls between the two; duplicates are skipped by number.
  const buffered: LogLine[] = [];
  let replaying = true;
  let endedWhileReplaying = false;
  const unsubscribe = live.subscribe({
    line: (line) => (replaying ? buffered.push(line) : sendLine(line)),
    // The build may end while the file is being read: the stored and buffered lines go out first.
    end: () => (replaying ? (endedWhileReplaying = true) : closed()),
  });
  signal.addEventListener("abort", closed, { once: true });
  if (signal.aborted) closed();
  try {
    try {
      (await readLog(live.file, { maxBytes: live.maxBytes })).lines.forEach(sendLine);
    } catch (error) {
      // The file went (or could not be written at all): the live lines still come.
      if (!(error instanceof LogFileError)) throw error;
      emit({ event: "notice", data: error.message });
    }
    buffered.forEach(sendLine);
    replaying = false;
    if (endedWhileReplaying) closed();
    await ended;
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", closed);
  }
}
