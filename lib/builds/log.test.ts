import { execFileSync } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BuildLog, DEFAULT_LOG_MAX_BYTES, LogFileError, type LogLine, type LogSummary, cleanLogText, logIncompleteText, logMaxBytesFromEnv, readLog } from "@/lib/builds/log";

let dir: string;
let count = 0;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "lucid-log-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh file in a folder that does not exist yet. */
function logFile(): string {
  count += 1;
  return path.join(dir, `build-${count}`, "logs", "build.log");
}

describe("cleanLogText", () => {
  it("strips ANSI escape codes and control characters but keeps tabs", () => {
    expect(cleanLogText("\x1b[1m\x1b[34m#1 [internal]\x1b[0m load\tbuild")).toBe("#1 [internal] load\tbuild");
    expect(cleanLogText("bell\x07 back\x08space nul\x00 del\x7f c1\x85 osc\x1b]0;title\x07!")).toBe("bell backspace nul del c1 osc!");
    expect(cleanLogText("größe ✓")).toBe("größe ✓");
  });
});

describe("BuildLog", () => {
  it("creates its folder, appends numbered clean lines, and reads them back", async () => {
    const file = logFile();
    const log = new BuildLog(file, { maxBytes: 1024 });
    log.write("$ docker buildx build --platform linux/arm64,linux/amd64");
    log.write("\x1b[32m#1 DONE 0.1s\x1b[0m");
    log.write("two\nlines\n");
    expect(log.lines).toBe(4);
    expect(log.close()).toEqual({ lines: 4, keptLines: 4, droppedBytes: 0, truncated: false, writeError: null });
    expect(readFileSync(file, "utf8")).toBe("$ docker buildx build --platform linux/arm64,linux/amd64\n#1 DONE 0.1s\ntwo\nlines\n");
    expect((await readLog(file)).lines).toEqual([
      { n: 1, text: "$ docker buildx build --platform linux/arm64,linux/amd64" },
      { n: 2, text: "#1 DONE 0.1s" },
      { n: 3, text: "two" },
      { n: 4, text: "lines" },
    ]);
    expect((await readLog(file, { fromLine: 3 })).lines).toEqual([
      { n: 3, text: "two" },
      { n: 4, text: "lines" },
    ]);
    expect((await readLog(file, { fromLine: 9 })).lines).toEqual([]);
  });

  it("never writes into a file that is already there, nor through a link", async () => {
    const file = logFile();
    const first = new BuildLog(file);
    first.write("an old build's line");
    first.close();
    expect(() => new BuildLog(file)).toThrow(LogFileError);
    expect(() => new BuildLog(file)).toThrow(/already exists/);
    const link = path.join(path.dirname(file), "link.log");
    symlinkSync("/dev/full", link);
    expect(() => new BuildLog(link)).toThrow(LogFileError);
    expect((await readLog(file)).lines).toEqual([{ n: 1, text: "an old build's line" }]);
  });

  it("says the log is incomplete when the disk is full, and keeps feeding live readers", () => {
    const log = new BuildLog(logFile(), { openFile: () => openSync("/dev/full", "w") });
    const live: LogLine[] = [];
    log.subscribe({ line: (line) => live.push(line) });
    log.write("first");
    log.write("second");
    const summary = log.close();
    expect(summary.writeError).toMatch(/^ENOSPC/);
    expect(live.map((l) => l.text)).toEqual(["first", "[log incomplete: ENOSPC: no space left on device, write (lines after 0 were not kept)]", "second"]);
    expect(live.map((l) => l.n)).toEqual([1, 2, 3]);
    expect(logIncompleteText(summary.writeError!, summary.keptLines)).toMatch(/^log incomplete: ENOSPC/);
  });

  it("stops storing at the cap with one final line, counted at close, while subscribers get everything", async () => {
    const file = logFile();
    const log = new BuildLog(file, { maxBytes: 20 });
    const live: LogLine[] = [];
    log.subscribe({ line: (line) => live.push(line) });
    log.write("123456789"); // 10 bytes with its newline
    log.write("abcdefghi"); // 20: exactly at the cap, kept
    log.write("over"); // 5 bytes, dropped
    expect(readFileSync(file, "utf8")).toBe("123456789\nabcdefghi\n[log truncated at 20 bytes: 5 more bytes not kept]\n");
    log.write("short"); // 6 more; nothing is stored after the first line past the cap
    const summary = log.close();
    expect(summary).toEqual({ lines: 4, keptLines: 2, droppedBytes: 11, truncated: true, writeError: null });
    expect(readFileSync(file, "utf8")).toBe("123456789\nabcdefghi\n[log truncated at 20 bytes: 11 more bytes not kept]\n");
    expect(live.map((line) => line.text)).toEqual(["123456789", "abcdefghi", "over", "short"]);
    expect(live.map((line) => line.n)).toEqual([1, 2, 3, 4]);
  });

  it("names the default cap in MB", () => {
    const file = logFile();
    const log = new BuildLog(file, { maxBytes: DEFAULT_LOG_MAX_BYTES });
    const line = "x".repeat(1023);
    for (let i = 0; i < 2048; i++) log.write(line);
    log.write("the error at the end");
    expect(log.close()).toMatchObject({ keptLines: 2048, droppedBytes: 21, truncated: true });
    expect(statSync(file).size).toBe(DEFAULT_LOG_MAX_BYTES + "[log truncated at 2.0 MB: 21 more bytes not kept]\n".length);
    expect(readFileSync(file, "utf8").endsWith("\n[log truncated at 2.0 MB: 21 more bytes not kept]\n")).toBe(true);
    expect(log.tail(1)).toEqual([{ n: 2049, text: "the error at the end" }]);
  });

  it("tells subscribers about each stored line and the end, and lets them leave", () => {
    const log = new BuildLog(logFile());
    const seen: string[] = [];
    const ends: LogSummary[] = [];
    const unsubscribe = log.subscribe({ line: ({ n, text }) => seen.push(`${n}:${text}`), end: (summary) => ends.push(summary) });
    const leaving: string[] = [];
    const leave = log.subscribe({ line: ({ text }) => leaving.push(text) });
    log.write("\x1b[31mred\x1b[0m");
    leave();
    log.write("second");
    log.close();
    unsubscribe();
    expect(seen).toEqual(["1:red", "2:second"]);
    expect(leaving).toEqual(["red"]);
    expect(ends).toEqual([{ lines: 2, keptLines: 2, droppedBytes: 0, truncated: false, writeError: null }]);

    const late: LogSummary[] = [];
    log.subscribe({ line: () => {}, end: (summary) => late.push(summary) });
    expect(late).toHaveLength(1);
  });

  it("drops a subscriber that throws and keeps serving the others", () => {
    const log = new BuildLog(logFile());
    const seen: number[] = [];
    log.subscribe({
      line: () => {
        throw new Error("broken socket");
      },
    });
    log.subscribe({ line: ({ n }) => seen.push(n) });
    log.write("one");
    log.write("two");
    log.close();
    expect(seen).toEqual([1, 2]);
  });

  it("keeps a bounded tail in memory", () => {
    const log = new BuildLog(logFile(), { tailLines: 3 });
    for (const text of ["a", "b", "c", "d", "e"]) log.write(text);
    expect(log.tail(2)).toEqual([
      { n: 4, text: "d" },
      { n: 5, text: "e" },
    ]);
    expect(log.tail(10).map((line) => line.text)).toEqual(["c", "d", "e"]);
    expect(log.tail(0)).toEqual([]);
    log.close();
  });

  it("ignores writes after close", async () => {
    const file = logFile();
    const log = new BuildLog(file);
    log.write("kept");
    log.close();
    log.write("late");
    expect(log.close().lines).toBe(1);
    expect((await readLog(file)).lines).toEqual([{ n: 1, text: "kept" }]);
  });
});

describe("readLog", () => {
  it("reads a regular file only, never through a link or from a FIFO, and never more than the cap", async () => {
    const link = path.join(dir, "to-dev-full.log");
    symlinkSync("/dev/full", link);
    await expect(readLog(link)).rejects.toThrow(/symbolic link/);
    const fifo = path.join(dir, "fifo.log");
    execFileSync("mkfifo", [fifo]);
    await expect(readLog(fifo)).rejects.toThrow(/not a regular file/);
    await expect(readLog(path.join(dir, "gone.log"))).rejects.toThrow(/no longer there/);

    const huge = path.join(dir, "huge.log");
    writeFileSync(huge, "x".repeat(99) + "\n");
    truncateSync(huge, 64 * 1024 * 1024); // a sparse leftover of 64 MiB
    const read = await readLog(huge, { maxBytes: 1000 });
    expect(read.lines[0]).toEqual({ n: 1, text: "x".repeat(99) });
    expect(read.lines.reduce((bytes, line) => bytes + line.text.length + 1, 0)).toBeLessThanOrEqual(1000 + 1024);
    expect(read.problem).toMatch(/only its first 2024 bytes were read/);
  });


  it("leaves out a last line that is still being written", async () => {
    const file = path.join(dir, "partial.log");
    writeFileSync(file, "one\ntwo\nthr");
    expect((await readLog(file)).lines).toEqual([
      { n: 1, text: "one" },
      { n: 2, text: "two" },
    ]);
  });
});

describe("logMaxBytesFromEnv", () => {
  it("reads LUCID_LOG_MAX_BYTES, 2 MiB when unset", () => {
    expect(logMaxBytesFromEnv({})).toBe(2 * 1024 * 1024);
    expect(logMaxBytesFromEnv({ LUCID_LOG_MAX_BYTES: "65536" })).toBe(65536);
    expect(() => logMaxBytesFromEnv({ LUCID_LOG_MAX_BYTES: "2MB" })).toThrow('LUCID_LOG_MAX_BYTES must be a positive whole number of bytes, not "2MB"');
    expect(() => logMaxBytesFromEnv({ LUCID_LOG_MAX_BYTES: "0" })).toThrow(/positive/);
  });
});
