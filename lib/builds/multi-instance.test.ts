// Two dashboard instances on one PostgreSQL database: builds claimed once, the health poller run by one of them and
// taken over when its holder is killed. A real server on 127.0.0.1 (lib/db/postgres-server.ts).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { postgresAvailable, startPostgres, type PostgresServer } from "@/lib/db/postgres-server";
import { claimBuilds, requestBuild } from "@/lib/builds/queue";
import { executeBuild } from "@/lib/builds/execute";
import { readLog } from "@/lib/builds/log";
import { liveLog } from "@/lib/builds/log-hub";
import { followBuildLog, type LogEvent } from "@/lib/builds/log-follow";
import { runnerSettings } from "@/lib/builds/settings";
import { BuildWorker, INSTANCE_LEASE } from "@/lib/builds/worker";
import { tryLease } from "@/lib/db/lease";
import { HealthPoller, leaseTiming, POLLER_LEASE } from "@/lib/health/poller";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { HealthSettings } from "@/lib/health/settings";
import { createAuth } from "@/lib/auth/auth";
import { storedSecret } from "@/lib/auth/secret";
import { consumeShared } from "@/lib/security/rate-limit";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

let server: PostgresServer;
let url: string;
let a: PrismaClient;
let b: PrismaClient;

beforeAll(async () => {
  if (!postgresAvailable()) return;
  server = await startPostgres();
  url = await server.createDatabase();
  await deployMigrations({ databaseUrl: url });
  a = createPrismaClient(url);
  b = createPrismaClient(url);
  const phase = await a.phase.create({ data: { number: 1, name: "Base", category: "base", required: 20 } });
  await a.image.createMany({
    data: Array.from({ length: 20 }, (_, i) => ({ name: `lucid-image-${i}`, step: i + 1, title: `Image ${i}`, repository: `pickme/lucid-image-${i}`, tags: [], dockerfile: "Dockerfile", context: ".", platforms: ["linux/arm64"], phaseId: phase.id, port: 8000 + i })),
  });
}, 60_000);

afterAll(async () => {
  await a?.$disconnect();
  await b?.$disconnect();
  await server?.stop();
});

describe.skipIf(!postgresAvailable())("two instances on one PostgreSQL database", () => {
  it("runs each of 20 builds queued through both exactly once, each instance within its own concurrency", async () => {
    const noCheck = async () => {};
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => requestBuild(i % 2 ? a : b, `lucid-image-${i}`, { source: "api", startedBy: `token ${i % 2 ? "a" : "b"}` }, noCheck)),
    );
    expect(await a.build.count({ where: { status: "queued" } })).toBe(20);

    const claimedBy = new Map<number, string[]>();
    const runner = async (db: PrismaClient, name: string) => {
      for (let round = 0; round < 200 && (await db.build.count({ where: { status: { in: ["queued", "running"] } } })) > 0; round++) {
        const ids = await claimBuilds(db, 3, name);
        expect(await db.build.count({ where: { status: "running", runner: name } })).toBeLessThanOrEqual(3);
        for (const id of ids) claimedBy.set(id, [...(claimedBy.get(id) ?? []), name]);
        // "Run" them: finish what this instance holds.
        await new Promise((resolve) => setTimeout(resolve, 5));
        await db.build.updateMany({ where: { id: { in: ids } }, data: { status: "succeeded", finishedAt: new Date() } });
      }
    };
    await Promise.all([runner(a, "instance-a"), runner(b, "instance-b")]);

    expect(claimedBy.size).toBe(20);
    expect([...claimedBy.values()].every((names) => names.length === 1)).toBe(true);
    const builds = await a.build.findMany({ select: { status: true, runner: true } });
    expect(builds.every((x) => x.status === "succeeded")).toBe(true);
    // Both took part.
    expect(new Set(builds.map((x) => x.runner))).toEqual(new Set(["instance-a", "instance-b"]));
  });

  it("shows a build's log live through the instance that does not run it, line for line as the runner wrote it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "lucid-two-logs-"));
    const saved = { ...process.env };
    try {
      mkdirSync(path.join(dir, "checkout"));
      writeFileSync(path.join(dir, "checkout/Dockerfile"), "FROM scratch\n");
      mkdirSync(path.join(dir, "bin"));
      // A builder that writes 60 progress lines over about 1.5 s.
      writeFileSync(path.join(dir, "bin/docker"), '#!/bin/sh\ni=1\nwhile [ $i -le 60 ]; do echo "#$i step $i of 60" >&2; sleep 0.025; i=$((i+1)); done\n');
      chmodSync(path.join(dir, "bin/docker"), 0o755);
      Object.assign(process.env, { LUCID_REPO_ROOT: path.join(dir, "checkout"), LUCID_BUILDER: "buildx", PATH: `${path.join(dir, "bin")}:${saved.PATH}` });
      const image = await a.image.update({ where: { name: "lucid-image-0" }, data: { push: false } });
      const queued = await requestBuild(b, image.name, { source: "api", startedBy: "token b" }, async () => {});
      const [id] = await claimBuilds(a, 1, "instance-a");
      expect(id).toBe(queued.id);

      // Instance b: no live log of its own, another id; it reads only the database.
      const events: LogEvent[] = [];
      const seenWhileRunning: number[] = [];
      const reader = followBuildLog(
        b,
        id!,
        (event) => {
          events.push(event);
          if (event.event === "line" && liveLog(id!)) seenWhileRunning.push(event.data.n);
        },
        { signal: new AbortController().signal, live: () => undefined, here: "instance-b", pollMs: 100 },
      );
      await executeBuild(a, id!, { ...runnerSettings({} as NodeJS.ProcessEnv), logDir: path.join(dir, "logs") }, { signal: new AbortController().signal });
      await reader;

      const build = await a.build.findUniqueOrThrow({ where: { id: id! } });
      expect(build).toMatchObject({ status: "succeeded", runner: "instance-a", logIncomplete: null });
      const file = await readLog(build.logPath!);
      const followed = events.flatMap((e) => (e.event === "line" ? [e.data] : []));
      expect(followed).toEqual(file.lines);
      expect(followed.map((l) => l.text)).toContain("#60 step 60 of 60");
      // Followed as it ran, not read at the end.
      expect(seenWhileRunning.length).toBeGreaterThan(30);
      expect(events.at(-1)).toEqual({ event: "end", data: { status: "succeeded" } });
    } finally {
      process.env = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("a second process with the same LUCID_INSTANCE_ID claims no builds and leaves the first one's builds alone", async () => {
    const settings = runnerSettings({} as NodeJS.ProcessEnv);
    const first = new BuildWorker(a, settings, { runner: "same-id", token: "first", aliveEveryMs: 200, aliveForMs: 3_000 });
    const second = new BuildWorker(b, settings, { runner: "same-id", token: "second", aliveEveryMs: 200, aliveForMs: 3_000 });
    await first.start();
    try {
      const image = await a.image.findUniqueOrThrow({ where: { name: "lucid-image-1" } });
      const running = await a.build.create({ data: { imageId: image.id, status: "running", source: "dashboard", startedAt: new Date(), tags: [], platforms: [], runner: "same-id" } });
      await second.start();
      await expect.poll(() => second.refused, { timeout: 5_000 }).toMatch(/^another process is running as instance same-id \(LUCID_INSTANCE_ID\)/);
      // Longer than the first one's lease: it renews, so the second never takes the id.
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(second.started).toBe(false);
      expect(await a.build.findUniqueOrThrow({ where: { id: running.id } })).toMatchObject({ status: "running" });
      expect(await a.lease.findUnique({ where: { name: `${INSTANCE_LEASE}same-id` } })).toMatchObject({ holder: "same-id#first" });

      // Once the first stops, the second takes the id at once and marks what was left running interrupted.
      await first.stop();
      await expect.poll(() => second.started, { timeout: 3_000 }).toBe(true);
      expect(second.refused).toBeNull();
      expect(await a.build.findUniqueOrThrow({ where: { id: running.id } })).toMatchObject({ status: "interrupted" });
    } finally {
      await first.stop();
      await second.stop();
    }
  }, 30_000);

  it("takes the id of a process that died once its lease runs out, never before", async () => {
    await tryLease(a, `${INSTANCE_LEASE}crashed-id`, "crashed-id#gone", 1_500);
    const until = (await a.lease.findUniqueOrThrow({ where: { name: `${INSTANCE_LEASE}crashed-id` } })).until.getTime();
    const worker = new BuildWorker(b, runnerSettings({} as NodeJS.ProcessEnv), { runner: "crashed-id", token: "new", aliveEveryMs: 200, aliveForMs: 5_000 });
    await worker.start();
    try {
      expect(worker.started).toBe(false);
      expect(worker.refused).toMatch(/^waiting for instance crashed-id's liveness lease, held by another process, to run out/);
      await expect.poll(() => worker.started, { timeout: 5_000 }).toBe(true);
      expect(Date.now()).toBeGreaterThanOrEqual(until);
      expect(worker.refused).toBeNull();
      expect(await a.lease.findUnique({ where: { name: `${INSTANCE_LEASE}crashed-id` } })).toMatchObject({ holder: "crashed-id#new" });
    } finally {
      await worker.stop();
    }
  }, 30_000);

  it("lets one instance run the health poller, and another takes over within one interval when its holder is killed", async () => {
    const intervalMs = 2_000;
    const settings: HealthSettings = { intervalMs, timeoutMs: 500, threshold: 3, concurrency: 4, retentionDays: 7, maxBodyBytes: 65_536 };
    // The holder runs in a process of its own, so it can be killed as a crash would.
    // node itself with tsx's loader (the tsx command would leave its node child running when killed).
    const child = spawn(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "lib/health/testing/poller-process.ts"), url, String(intervalMs), "instance-a"], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
    const [line] = (await once(child.stdout!, "data")) as [Buffer];
    expect(line.toString()).toContain("holding");

    const second = new HealthPoller(b, settings, async () => ({ outcome: "up", httpStatus: 200, latencyMs: 1, error: null }), "instance-b");
    await second.start({});
    try {
      await new Promise((resolve) => setTimeout(resolve, leaseTiming(intervalMs).everyMs * 2));
      expect(second.isHolder).toBe(false);
      expect(await b.lease.findUnique({ where: { name: POLLER_LEASE } })).toMatchObject({ holder: "instance-a" });

      child.kill("SIGKILL");
      const killedAt = Date.now();
      await once(child, "exit");
      while (!second.isHolder && Date.now() - killedAt < 3 * intervalMs) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(second.isHolder).toBe(true);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(intervalMs + 250);
      expect(await b.lease.findUnique({ where: { name: POLLER_LEASE } })).toMatchObject({ holder: "instance-b" });
    } finally {
      child.kill("SIGKILL");
      await second.stop();
    }
  }, 30_000);

  it("shares build-trigger limits: 3 a minute for one actor, whichever instance is asked", async () => {
    const rule = { max: 3, windowMs: 60_000 };
    const decisions = [];
    for (let i = 0; i < 6; i++) decisions.push(await consumeShared(i % 2 ? a : b, "build:token ci", rule));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false, false]);
    // Another actor has its own count; a new window starts afresh.
    expect((await consumeShared(a, "build:user ada@example.test", rule)).allowed).toBe(true);
    expect((await consumeShared(b, "build:token ci", rule, new Date(Date.now() + 61_000))).allowed).toBe(true);
  });

  it("shares sign-in limits: the sixth attempt a minute from one address is refused whichever instance gets it", async () => {
    const secret = await storedSecret(a);
    const instances = [createAuth(a, secret, {}), createAuth(b, secret, {})];
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const response = await instances[i % 2]!.handler(
        new Request("http://localhost:3210/api/auth/sign-in/email", {
          method: "POST",
          headers: { "content-type": "application/json", host: "127.0.0.1:3210", origin: "http://127.0.0.1:3210", "x-forwarded-for": "10.9.9.9" },
          body: JSON.stringify({ email: "nobody@example.test", password: "wrong password" }),
        }),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
