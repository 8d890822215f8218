// A build's log copied into the database by its runner (LogMirror) and followed by a reader that cannot see the
// runner's disk (followBuildLog with no live log and another instance's id), on the run's engine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BuildLog, type LogLine } from "@/lib/builds/log";
import { followBuildLog, type LogEvent } from "@/lib/builds/log-follow";
import { LogMirror, readMirroredLines } from "@/lib/builds/log-mirror";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
let dir: string;
let imageId: number;

beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
  imageId = (await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } })).id;
  dir = mkdtempSync(path.join(tmpdir(), "lucid-follow-"));
});

afterEach(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const runningBuild = (runner: string, logPath: string | null = null) =>
  prisma.build.create({ data: { imageId, status: "running", source: "dashboard", startedAt: new Date(), tags: [], platforms: [], runner, logPath } });

const texts = (lines: LogLine[]) => lines.map((l) => `${l.n} ${l.text}`);

/** Follows as instance "b" would: no live log here. */
function follow(buildId: number, signal = new AbortController().signal) {
  const events: LogEvent[] = [];
  const done = followBuildLog(prisma, buildId, (e) => events.push(e), { signal, live: () => undefined, here: "instance-b", pollMs: 20 });
  const lines = () => events.flatMap((e) => (e.event === "line" ? [e.data] : []));
  return { events, done, lines };
}

describe("LogMirror", () => {
  it("copies every line in order, in chunks, and a reader's cursor reads only what is new", async () => {
    const build = await runningBuild("instance-a");
    const log = new BuildLog(path.join(dir, "a.log"));
    const mirror = new LogMirror(prisma, build.id, log, { flushMs: 5 });
    for (let i = 1; i <= 1_200; i++) log.write(`line ${i}`);
    const cursor = { afterChunk: 0 };
    await expect.poll(async () => (await prisma.buildLogChunk.count({ where: { buildId: build.id } })) > 0).toBe(true);
    const first = await readMirroredLines(prisma, build.id, cursor);
    log.write("the last line");
    log.close();
    expect(await mirror.close()).toBeNull();

    const rest = await readMirroredLines(prisma, build.id, cursor);
    const all = [...first, ...rest];
    expect(all.map((l) => l.n)).toEqual(Array.from({ length: 1_201 }, (_, i) => i + 1));
    expect(all.at(-1)).toEqual({ n: 1_201, text: "the last line" });
    // 500 lines a chunk at most.
    expect(await prisma.buildLogChunk.count({ where: { buildId: build.id } })).toBeGreaterThanOrEqual(3);
    expect(await readMirroredLines(prisma, build.id, cursor)).toEqual([]);
  });

  it("stops at the log's size cap with a line that says so", async () => {
    const build = await runningBuild("instance-a");
    const log = new BuildLog(path.join(dir, "capped.log"), { maxBytes: 100 });
    const mirror = new LogMirror(prisma, build.id, log, { flushMs: 5 });
    for (let i = 1; i <= 20; i++) log.write(`line number ${i}`);
    const { keptLines } = log.close();
    await mirror.close();
    const lines = await readMirroredLines(prisma, build.id, { afterChunk: 0 });
    // The same lines as the file keeps: 7 of 14 bytes fit in 100.
    expect(keptLines).toBe(7);
    expect(texts(lines)).toEqual([...Array.from({ length: 7 }, (_, i) => `${i + 1} line number ${i + 1}`), "8 [log truncated at 100 bytes: later lines were not kept]"]);
  });

  it("writes lines the database refused again on its own, with no gap, and says what is missing at the end", async () => {
    const build = await runningBuild("instance-a");
    const log = new BuildLog(path.join(dir, "refused.log"));
    let refuse = true;
    const flaky = {
      buildLogChunk: {
        create: (args: Parameters<PrismaClient["buildLogChunk"]["create"]>[0]) => (refuse ? Promise.reject(new Error("connection lost")) : prisma.buildLogChunk.create(args)),
      },
    } as unknown as PrismaClient;
    const mirror = new LogMirror(flaky, build.id, log, { flushMs: 5 });
    log.write("one");
    log.write("two");
    await new Promise((resolve) => setTimeout(resolve, 30));
    refuse = false;
    // No new line comes (a quiet build step): the refused lines are written anyway.
    await expect.poll(async () => texts(await readMirroredLines(prisma, build.id, { afterChunk: 0 })), { timeout: 3_000 }).toEqual(["1 one", "2 two"]);
    log.write("three");
    await expect.poll(async () => (await readMirroredLines(prisma, build.id, { afterChunk: 0 })).length).toBe(3);
    refuse = true;
    log.write("four");
    log.close();
    expect(await mirror.close()).toBe("the database's copy of the log, read by other instances, lacks its last 1 lines: connection lost");
    expect(texts(await readMirroredLines(prisma, build.id, { afterChunk: 0 }))).toEqual(["1 one", "2 two", "3 three"]);
  });

  it("a write that committed though the database reported an error leaves a reader each line once, in order", async () => {
    const build = await runningBuild("instance-a");
    const log = new BuildLog(path.join(dir, "uncertain.log"));
    let lost = 0;
    const uncertain = {
      buildLogChunk: {
        // The first write commits, then its answer is lost (a connection reset after COMMIT).
        create: async (args: Parameters<PrismaClient["buildLogChunk"]["create"]>[0]) => {
          const row = await prisma.buildLogChunk.create(args);
          if (lost++ === 0) throw new Error("connection reset");
          return row;
        },
      },
    } as unknown as PrismaClient;
    const mirror = new LogMirror(uncertain, build.id, log, { flushMs: 5 });
    const reader = follow(build.id);
    log.write("one");
    await expect.poll(() => reader.lines().length).toBe(1);
    // More lines arrive while the first chunk waits to be written again.
    for (const text of ["two", "three", "four"]) log.write(text);
    log.close();
    expect(await mirror.close()).toBeNull();
    await prisma.build.update({ where: { id: build.id }, data: { status: "succeeded", finishedAt: new Date() } });
    await reader.done;
    expect(texts(reader.lines())).toEqual(["1 one", "2 two", "3 three", "4 four"]);
  });
});

describe("followBuildLog from an instance that does not run the build", () => {
  it("sends the copy's lines while the build runs, each once, then the rest and the end once it has finished", async () => {
    const file = path.join(dir, "running.log");
    const build = await runningBuild("instance-a", file);
    const log = new BuildLog(file);
    const mirror = new LogMirror(prisma, build.id, log, { flushMs: 5 });
    const reader = follow(build.id);

    log.write("#1 [internal] load build definition");
    await expect.poll(() => reader.lines().length).toBe(1);
    expect(reader.events.some((e) => e.event === "end")).toBe(false);
    for (let i = 2; i <= 50; i++) log.write(`#${i} step`);
    log.close();
    await mirror.close();
    // The file is on the runner's disk, not here: the reader must not need it.
    rmSync(file);
    await prisma.build.update({ where: { id: build.id }, data: { status: "succeeded", finishedAt: new Date() } });
    await reader.done;

    expect(reader.lines().map((l) => l.n)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(reader.events.at(-1)).toEqual({ event: "end", data: { status: "succeeded" } });
    expect(reader.events.filter((e) => e.event === "problem")).toEqual([]);
  });

  it("reads a finished build another instance ran from the copy, and this instance's own from its file", async () => {
    const file = path.join(dir, "mine.log");
    const log = new BuildLog(file);
    const theirs = await runningBuild("instance-a", file);
    const mirror = new LogMirror(prisma, theirs.id, log, { flushMs: 5 });
    log.write("copied line");
    log.close();
    await mirror.close();
    await prisma.build.update({ where: { id: theirs.id }, data: { status: "failed", finishedAt: new Date(), logIncomplete: "log incomplete: ENOSPC" } });
    const reader = follow(theirs.id);
    await reader.done;
    expect(reader.events).toEqual([
      { event: "line", data: { n: 1, text: "copied line" } },
      { event: "notice", data: "log incomplete: ENOSPC" },
      { event: "end", data: { status: "failed" } },
    ]);

    // A build this instance ran (SQLite has no copy) is read from its file.
    const ours = await prisma.build.create({ data: { imageId, status: "succeeded", source: "dashboard", tags: [], platforms: [], runner: "instance-b", logPath: file } });
    const own = follow(ours.id);
    await own.done;
    expect(own.lines()).toEqual([{ n: 1, text: "copied line" }]);
  });

  it("says the log cannot be read when it has neither a copy nor a file here", async () => {
    const build = await prisma.build.create({
      data: { imageId, status: "succeeded", source: "dashboard", tags: [], platforms: [], runner: "instance-a", logPath: path.join(dir, "elsewhere.log") },
    });
    const reader = follow(build.id);
    await reader.done;
    expect(reader.events).toEqual([
      { event: "problem", data: "the log file is no longer there" },
      { event: "end", data: { status: "succeeded" } },
    ]);
  });

  it("gives up on a build that stays queued, never on one running elsewhere however long it runs", async () => {
    const queued = await prisma.build.create({ data: { imageId, status: "queued", source: "dashboard", tags: [], platforms: [] } });
    const waiting: LogEvent[] = [];
    await followBuildLog(prisma, queued.id, (e) => waiting.push(e), { signal: new AbortController().signal, live: () => undefined, here: "instance-b", pollMs: 10, maxWaitMs: 50 });
    expect(waiting).toEqual([{ event: "end", data: { status: "queued" } }]);

    const running = await runningBuild("instance-a");
    const events: LogEvent[] = [];
    const done = followBuildLog(prisma, running.id, (e) => events.push(e), { signal: new AbortController().signal, live: () => undefined, here: "instance-b", pollMs: 10, maxWaitMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events).toEqual([]);
    await prisma.build.update({ where: { id: running.id }, data: { status: "cancelled", finishedAt: new Date() } });
    await done;
    expect(events).toEqual([{ event: "end", data: { status: "cancelled" } }]);
  });

  it("stops without an end when the reader goes away while the build runs", async () => {
    const build = await runningBuild("instance-a");
    const controller = new AbortController();
    const reader = follow(build.id, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await reader.done;
    expect(reader.events).toEqual([]);
  });
});

describe("followBuildLog on the instance that runs the build", () => {
  it("replays the file, then sends live lines until the log closes", async () => {
    const file = path.join(dir, "live.log");
    const build = await runningBuild("instance-b", file);
    const log = new BuildLog(file);
    log.write("before the reader came");
    const events: LogEvent[] = [];
    const done = followBuildLog(prisma, build.id, (e) => events.push(e), { signal: new AbortController().signal, live: () => log, here: "instance-b" });
    await expect.poll(() => events.length).toBe(1);
    log.write("while it reads");
    log.close();
    await done;
    expect(events).toEqual([
      { event: "line", data: { n: 1, text: "before the reader came" } },
      { event: "line", data: { n: 2, text: "while it reads" } },
      { event: "end", data: { status: "running" } },
    ]);
  });

  it("lets go of the live log at once when the reader leaves before following starts", async () => {
    const file = path.join(dir, "left.log");
    const build = await runningBuild("instance-b", file);
    const log = new BuildLog(file);
    const controller = new AbortController();
    const events: LogEvent[] = [];
    const done = followBuildLog(prisma, build.id, (e) => events.push(e), { signal: controller.signal, live: () => log, here: "instance-b" });
    controller.abort();
    // Without letting go this would wait for the build to end.
    await done;
    expect(events).toEqual([]);
    log.close();
  });
});
