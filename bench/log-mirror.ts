// A chatty build's log followed through another instance on PostgreSQL: the runner writes bursts of lines, its
// LogMirror copies them into the database, and a follower with no access to the runner's disk (followBuildLog with
// another instance's id) reads them. Measures how far behind the follower is and what the copy costs the runner.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/client";
import { BuildLog } from "@/lib/builds/log";
import { followBuildLog } from "@/lib/builds/log-follow";
import { LogMirror } from "@/lib/builds/log-mirror";
import { summarize, type Summary } from "./stats";

const BURST = 100;
const BURST_EVERY_MS = 10;

export type LogMirrorFigures = { lines: number; chunks: number; writeMs: number; closeMs: number; lagMs: Summary };

export async function benchLogMirror(url: string, lines: number): Promise<LogMirrorFigures> {
  const runner = createPrismaClient(url);
  const reader = createPrismaClient(url);
  const dir = mkdtempSync(path.join(tmpdir(), "lucid-bench-log-"));
  try {
    const image = await runner.image.findFirstOrThrow({ select: { id: true } });
    const build = await runner.build.create({ data: { imageId: image.id, status: "running", source: "dashboard", startedAt: new Date(), tags: [], platforms: [], runner: "bench-runner" } });
    const writtenAt: number[] = [];
    const lag: number[] = [];
    const following = followBuildLog(
      reader,
      build.id,
      (event) => {
        if (event.event === "line" && writtenAt[event.data.n] !== undefined) lag.push(performance.now() - writtenAt[event.data.n]!);
      },
      { signal: new AbortController().signal, live: () => undefined, here: "bench-reader" },
    );
    // Lines of a BuildKit plain-progress log; 2 MiB (the default cap) holds about 30,000 of them.
    const log = new BuildLog(path.join(dir, "build.log"));
    const mirror = new LogMirror(runner, build.id, log);
    const started = performance.now();
    for (let n = 1; n <= lines; n += BURST) {
      for (let i = n; i < Math.min(n + BURST, lines + 1); i++) {
        writtenAt[i] = performance.now();
        log.write(`#${i % 40} ${(i / 10).toFixed(1)} sha256:${i.toString(16).padStart(12, "0")} 12.3MB / 45.6MB`);
      }
      await new Promise((resolve) => setTimeout(resolve, BURST_EVERY_MS));
    }
    const writeMs = performance.now() - started;
    log.close();
    const closing = performance.now();
    await mirror.close();
    const closeMs = performance.now() - closing;
    await runner.build.update({ where: { id: build.id }, data: { status: "succeeded", finishedAt: new Date() } });
    await following;
    const chunks = await runner.buildLogChunk.count({ where: { buildId: build.id } });
    return { lines: lag.length, chunks, writeMs: Math.round(writeMs), closeMs: Math.round(closeMs), lagMs: summarize(lag) };
  } finally {
    await runner.$disconnect();
    await reader.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
