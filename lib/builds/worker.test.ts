// Integration tests of the build queue, the worker and the executor with real processes: a stand-in `docker`
// (lib/builds/testing/fake-docker.cjs) first on PATH, a temporary checkout, a migrated temporary database with
// the 35-image plan, and a real loopback registry that the runner reads pushed images back from.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { precheckBuild } from "@/lib/builds/prepare";
import { BuildRequestError, requestBuild, requestCancel, type Requester } from "@/lib/builds/queue";
import { runnerSettings, type RunnerSettings } from "@/lib/builds/settings";
import { imageState } from "@/lib/builds/status";
import { processIdentity } from "@/lib/builds/process-identity";
import { BuildWorker, INSTANCE_LEASE } from "@/lib/builds/worker";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";
import { pushTestImage, startTestRegistry, type PushedTestImage, type TestRegistry } from "@/lib/registry/testing";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FAKE_DOCKER = fileURLToPath(new URL("./testing/fake-docker.cjs", import.meta.url));
const WORKER_PROCESS = fileURLToPath(new URL("./testing/worker-process.ts", import.meta.url));
const TSX = path.join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

const BY: Requester = { source: "dashboard", startedBy: "user worker.test" };
const ENV_KEYS = [
  "PATH",
  "LUCID_REPO_ROOT",
  "LUCID_BUILDER",
  "LUCID_REGISTRY",
  "FAKE_DOCKER_ARGV",
  "FAKE_DOCKER_CWD",
  "FAKE_DOCKER_MODE",
  "FAKE_DOCKER_DIGEST",
  "FAKE_DOCKER_PID",
  "FAKE_DOCKER_GRANDCHILD_PID",
  "FAKE_DOCKER_IGNORE_SIGTERM",
] as const;

const RUNTIME = { User: "65532:65532", Healthcheck: { Test: ["CMD", "/app/health"] }, ExposedPorts: { "8090/tcp": {} } };
const SESSION_API_LAYERS = { arm64: [Buffer.from("session-api arm64 layer")], amd64: [Buffer.from("session-api amd64 layer one"), Buffer.from("and two")] };
const RDP_MONITOR_LAYERS = { arm64: [Buffer.from("rdp-monitor arm64")], amd64: [Buffer.from("rdp-monitor amd64, a bit longer")] };

// ---------------------------------------------------------------------------------------------
// Helpers

async function waitFor<T>(probe: () => T | Promise<T>, timeoutMs: number, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether a process has exited. A zombie counts as gone: it has exited and only waits to be reaped, and the
 * PID 1 of some containers reaps orphans seconds late.
 */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

const readLines = (file: string): string[] => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((line) => line !== "") : []);
const readPids = (file: string): number[] => readLines(file).map(Number);

/** `date -u +%Y%m%d-%H%M%S`, computed here rather than with lib/builds/tags.ts. */
const utcStamp = (date: Date) => date.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);

const FINISHED = ["succeeded", "failed", "cancelled", "interrupted"];

// ---------------------------------------------------------------------------------------------
// Fixtures

let registry: TestRegistry;
let sessionApi: PushedTestImage;
let rdpMonitor: PushedTestImage;

beforeAll(async () => {
  registry = await startTestRegistry();
  // What `docker buildx build --push` would have left for the first tag, which the runner verifies.
  const push = (repo: string, layers: { arm64: Buffer[]; amd64: Buffer[] }) =>
    pushTestImage(registry.host, repo, "latest-arm64", [
      { platform: "linux/arm64", layers: layers.arm64, config: { config: RUNTIME } },
      { platform: "linux/amd64", layers: layers.amd64, config: { config: RUNTIME } },
    ]);
  sessionApi = await push("pickme/lucid-session-api", SESSION_API_LAYERS);
  rdpMonitor = await push("pickme/lucid-rdp-monitor", RDP_MONITOR_LAYERS);
});

afterAll(async () => {
  await registry?.stop();
});

type Context = {
  root: string;
  checkout: string;
  /** realpath of the checkout: Dockerfile and context paths are resolved to it. */
  realCheckout: string;
  logDir: string;
  files: { argv: string; cwd: string; pid: string; grandchild: string };
  prisma: PrismaClient;
  databaseUrl: string;
  cleanupDatabase: () => Promise<void>;
  workers: BuildWorker[];
  children: ChildProcess[];
  extraPids: number[];
  savedEnv: Record<string, string | undefined>;
};

let ctx: Context;

beforeEach(async () => {
  const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  const root = mkdtempSync(path.join(tmpdir(), "lucid-worker-"));
  const checkout = path.join(root, "checkout");
  const bin = path.join(root, "bin");
  const logDir = path.join(root, "logs");
  for (const dir of [checkout, bin, logDir]) mkdirSync(dir);
  copyFileSync(FAKE_DOCKER, path.join(bin, "docker"));
  chmodSync(path.join(bin, "docker"), 0o755);

  const { prisma, url: databaseUrl, cleanup } = await createTestDatabase();
  await seedDefaults(prisma);
  // A checkout with every planned Dockerfile and context.
  for (const image of await prisma.image.findMany()) {
    mkdirSync(path.join(checkout, image.context), { recursive: true });
    mkdirSync(path.dirname(path.join(checkout, image.dockerfile)), { recursive: true });
    writeFileSync(path.join(checkout, image.dockerfile), `FROM scratch\nLABEL image=${image.name}\n`);
  }

  const files = { argv: path.join(root, "argv.jsonl"), cwd: path.join(root, "cwd.txt"), pid: path.join(root, "pid.txt"), grandchild: path.join(root, "grandchild.txt") };
  Object.assign(process.env, {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
    LUCID_REPO_ROOT: checkout,
    LUCID_BUILDER: "buildx",
    LUCID_REGISTRY: registry.host,
    FAKE_DOCKER_ARGV: files.argv,
    FAKE_DOCKER_CWD: files.cwd,
    FAKE_DOCKER_MODE: "ok",
    FAKE_DOCKER_PID: files.pid,
    FAKE_DOCKER_GRANDCHILD_PID: files.grandchild,
  });
  delete process.env.FAKE_DOCKER_DIGEST;
  delete process.env.FAKE_DOCKER_IGNORE_SIGTERM;

  ctx = { root, checkout, realCheckout: realpathSync(checkout), logDir, files, prisma, databaseUrl, cleanupDatabase: cleanup, workers: [], children: [], extraPids: [], savedEnv };
});

afterEach(async () => {
  await Promise.allSettled(ctx.workers.map((worker) => worker.stop()));
  for (const child of ctx.children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  // Stand-ins lead their own process group; their `sleep` shares it.
  for (const pid of readPids(ctx.files.pid)) if (!isGone(pid)) tryKill(-pid);
  for (const pid of [...readPids(ctx.files.grandchild), ...ctx.extraPids]) if (!isGone(pid)) tryKill(pid);
  for (const [key, value] of Object.entries(ctx.savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await ctx.cleanupDatabase();
  rmSync(ctx.root, { recursive: true, force: true });
  vi.restoreAllMocks();
});

function tryKill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone
  }
}

/** runnerSettings() supplies the defaults of any setting not named here (e.g. no registry credentials). */
function settings(overrides: Partial<RunnerSettings> = {}): RunnerSettings {
  return { ...runnerSettings({ NODE_ENV: "test" }), concurrency: 1, timeoutMs: 20_000, registry: registry.host, logDir: ctx.logDir, killGraceMs: 500, ...overrides };
}

/** Short liveness leases (PostgreSQL): a restart after a crash waits for the dead worker's lease to run out. */
const LEASES = { aliveEveryMs: 250, aliveForMs: 1_500 };

function newWorker(overrides: Partial<RunnerSettings> = {}): BuildWorker {
  const worker = new BuildWorker(ctx.prisma, settings(overrides), LEASES);
  ctx.workers.push(worker);
  return worker;
}

const request = (name: string) => requestBuild(ctx.prisma, name, BY, precheckBuild);

const getBuild = (id: number) => ctx.prisma.build.findUniqueOrThrow({ where: { id }, include: { sizes: { orderBy: { platform: "asc" } } } });

async function waitForStatus(id: number, statuses: string[], timeoutMs: number) {
  return waitFor(
    async () => {
      const build = await getBuild(id);
      return statuses.includes(build.status) ? build : null;
    },
    timeoutMs,
    `build ${id} to be ${statuses.join(" or ")}`,
  );
}

async function latestState(imageName: string) {
  const latest = await ctx.prisma.build.findFirst({ where: { image: { name: imageName } }, orderBy: { id: "desc" } });
  return imageState(latest);
}

const recordedArgv = (): string[][] => readLines(ctx.files.argv).map((line) => JSON.parse(line) as string[]);

/** Waits until the n-th sleeping stand-in has started its grandchild; returns both pids. */
async function nthSleeper(n: number, timeoutMs = 5_000): Promise<{ pid: number; grandchild: number }> {
  await waitFor(() => readPids(ctx.files.grandchild).length >= n, timeoutMs, `sleeping stand-in #${n}`);
  return { pid: readPids(ctx.files.pid)[n - 1]!, grandchild: readPids(ctx.files.grandchild)[n - 1]! };
}

async function expectGone(pids: number[], timeoutMs = 2_000): Promise<void> {
  await waitFor(() => pids.every(isGone), timeoutMs, `processes ${pids.join(", ")} to exit`);
}

// ---------------------------------------------------------------------------------------------

describe("BuildWorker with docker buildx (stand-in) and a real registry", () => {
  it("runs the exact buildx command in the checkout, verifies the push and records digest, sizes and a clean log", async () => {
    process.env.FAKE_DOCKER_DIGEST = sessionApi.digest;
    const { id, created } = await request("lucid-session-api");
    expect(created).toBe(true);
    expect(await latestState("lucid-session-api")).toBe("queued");
    // Files an earlier build with the same id left (the database was reset): never continued, never read.
    mkdirSync(ctx.logDir, { recursive: true });
    writeFileSync(path.join(ctx.logDir, `${id}.log`), "an old build's line\n");
    writeFileSync(path.join(ctx.logDir, `${id}.metadata.json`), JSON.stringify({ "containerimage.digest": `sha256:${"0".repeat(64)}` }));

    await newWorker().start();
    const build = await waitForStatus(id, FINISHED, 10_000);

    const startedAt = build.startedAt!;
    const tags = [`${registry.host}/pickme/lucid-session-api:latest-arm64`, `${registry.host}/pickme/lucid-session-api:latest-${utcStamp(startedAt)}`];
    expect(build.logPath).toMatch(new RegExp(`^${ctx.logDir}/build-${id}-${startedAt.getTime()}-[0-9a-f]{8}\\.log$`));
    const metadataFile = build.logPath!.replace(/\.log$/, ".metadata.json");
    const expectedArgv = [
      "docker", "buildx", "build",
      "--platform", "linux/arm64,linux/amd64",
      "-t", tags[0]!,
      "-t", tags[1]!,
      "-f", path.join(ctx.realCheckout, "sessions", "Dockerfile.api"),
      "--progress=plain",
      "--pull",
      "--metadata-file", metadataFile,
      "--push",
      path.join(ctx.realCheckout, "sessions"),
    ];
    expect(recordedArgv()).toEqual([expectedArgv]);
    expect(build.argv).toEqual(expectedArgv);
    expect(readLines(ctx.files.cwd)).toEqual([ctx.realCheckout]);

    expect(build).toMatchObject({
      status: "succeeded",
      pushed: true,
      exitCode: 0,
      failureReason: null,
      digest: sessionApi.digest,
      builder: "docker buildx",
      tags,
      platforms: ["linux/arm64", "linux/amd64"],
      pid: null,
    });
    expect(build.finishedAt!.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
    expect(build.durationMs).toBe(build.finishedAt!.getTime() - startedAt.getTime());
    const pushedSize = (platform: string) => sessionApi.platforms.find((p) => p.platform === platform)!;
    expect(build.sizes.map(({ platform, compressedBytes, digest }) => ({ platform, compressedBytes, digest }))).toEqual([
      { platform: "linux/amd64", compressedBytes: pushedSize("linux/amd64").compressedBytes, digest: pushedSize("linux/amd64").digest },
      { platform: "linux/arm64", compressedBytes: pushedSize("linux/arm64").compressedBytes, digest: pushedSize("linux/arm64").digest },
    ]);
    expect(pushedSize("linux/amd64").compressedBytes).toBe(SESSION_API_LAYERS.amd64.reduce((sum, layer) => sum + layer.length, 0));
    expect(build.sizes[0]!.config).toEqual({ user: "65532:65532", healthcheck: ["CMD", "/app/health"], exposedPorts: ["8090/tcp"] });
    expect(await latestState("lucid-session-api")).toBe("pushed");

    const log = readFileSync(build.logPath!, "utf8");
    expect(log).not.toMatch(/\x1b/);
    const lines = log.split("\n");
    expect(lines[0]).toMatch(/^\$ docker buildx build/);
    expect(log).not.toContain("an old build's line");
    expect(lines).toContain("#1 [internal] load build definition from Dockerfile");
    expect(lines).toContain("#5 DONE 0.1s");
    expect(lines).toContain(`Verifying ${tags[0]} in the registry…`);
    expect(lines).toContain("Build succeeded");
    expect(log).not.toContain("note: buildx reported");
    expect(JSON.parse(readFileSync(metadataFile, "utf8"))).toEqual({ "containerimage.digest": sessionApi.digest, "image.name": tags.join(",") });
  });

  it("records a failing build with its exit code and the builder's own error", async () => {
    process.env.FAKE_DOCKER_MODE = "fail";
    const { id } = await request("lucid-session-api");
    await newWorker().start();
    const build = await waitForStatus(id, FINISHED, 10_000);

    expect(build).toMatchObject({ status: "failed", exitCode: 1, pushed: false, digest: null, pid: null });
    expect(build.failureReason).toContain('process "/bin/sh -c pip install" did not complete successfully');
    expect(build.failureReason).not.toContain("\n");
    expect(build.sizes).toEqual([]);
    expect(build.finishedAt).not.toBeNull();
    expect(await latestState("lucid-session-api")).toBe("failed");
    expect(recordedArgv()).toHaveLength(1);
    expect(readFileSync(build.logPath!, "utf8")).toContain("ERROR: failed to solve");
  });

  it("builds with the buildx builder LUCID_BUILDX_BUILDER names, and the build record names it", async () => {
    process.env.FAKE_DOCKER_MODE = "fail";
    process.env.LUCID_BUILDX_BUILDER = "pi5-native";
    try {
      const { id } = await request("lucid-session-api");
      await newWorker().start();
      const build = await waitForStatus(id, FINISHED, 10_000);
      expect(recordedArgv()[0]!.slice(0, 5)).toEqual(["docker", "buildx", "build", "--builder", "pi5-native"]);
      expect(build.argv).toEqual(recordedArgv()[0]);
      expect(build.builder).toBe("docker buildx (builder pi5-native)");
    } finally {
      delete process.env.LUCID_BUILDX_BUILDER;
    }
  });

  it("keeps one active build per image, runs queued builds in order one at a time, and cancels by stopping the whole process group", async () => {
    process.env.FAKE_DOCKER_MODE = "sleep";
    // A double click, in parallel: one build, both answers name it.
    const [first, second] = await Promise.all([request("lucid-session-api"), request("lucid-session-api")]);
    expect(first.id).toBe(second.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const again = await request("lucid-session-api");
    expect(again).toEqual({ id: first.id, image: "lucid-session-api", created: false });
    const monitor = await request("lucid-rdp-monitor");
    const recorder = await request("lucid-session-recorder");
    expect(monitor.created && recorder.created).toBe(true);
    expect(await ctx.prisma.build.count({ where: { image: { name: "lucid-session-api" }, status: { in: ["queued", "running"] } } })).toBe(1);

    const worker = newWorker({ concurrency: 1 });
    await worker.start();
    const api = await nthSleeper(1);
    expect((await getBuild(first.id)).status).toBe("running");
    expect(recordedArgv()[0]).toContain(path.join(ctx.realCheckout, "sessions", "Dockerfile.api"));

    // A queued build is cancelled at once and never reaches the builder.
    expect(await requestCancel(ctx.prisma, recorder.id, "user worker.test")).toEqual({ id: recorder.id, status: "cancelled" });
    const cancelledQueued = await getBuild(recorder.id);
    expect(cancelledQueued).toMatchObject({ status: "cancelled", startedAt: null, cancelledBy: "user worker.test", argv: null, logPath: null });
    expect(cancelledQueued.finishedAt).not.toBeNull();
    expect(cancelledQueued.failureReason).toContain("before it started");

    // Longer than a poll interval: the next image waits while the first runs.
    await sleep(1_300);
    expect((await getBuild(monitor.id)).status).toBe("queued");
    expect(await latestState("lucid-rdp-monitor")).toBe("queued");
    expect(recordedArgv()).toHaveLength(1);
    expect((await getBuild(first.id)).pid).toBe(api.pid);

    expect(await requestCancel(ctx.prisma, first.id, "user worker.test")).toEqual({ id: first.id, status: "running" });
    worker.poll(); // as the cancel route does
    await expectGone([api.pid, api.grandchild]);
    const cancelled = await waitForStatus(first.id, FINISHED, 3_000);
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledBy: "user worker.test", pushed: false, pid: null });
    expect(cancelled.failureReason).toContain("cancelled");
    expect(await latestState("lucid-session-api")).toBe("failed");

    // Then the queued one starts, never alongside the first.
    const rdp = await nthSleeper(2);
    const running = await waitForStatus(monitor.id, ["running"], 3_000);
    expect(running.startedAt!.getTime()).toBeGreaterThanOrEqual(cancelled.finishedAt!.getTime());
    expect(recordedArgv()).toHaveLength(2);
    expect(recordedArgv()[1]).toContain(path.join(ctx.realCheckout, "RDP", "Dockerfile.monitor"));
    expect(recordedArgv().flat().some((arg) => arg.includes("Dockerfile.recorder"))).toBe(false);

    // Stopping the worker cancels what runs and waits for it.
    await worker.stop();
    expect((await getBuild(monitor.id)).status).toBe("cancelled");
    await expectGone([rdp.pid, rdp.grandchild]);
    expect(await getBuild(recorder.id)).toMatchObject({ status: "cancelled", startedAt: null });
  });

  it.skipIf(!onPostgres)("when another process took its instance id while it stood still, it stops its builders and records nothing over theirs", async () => {
    process.env.FAKE_DOCKER_MODE = "sleep";
    const api = await request("lucid-session-api");
    const worker = newWorker({ concurrency: 1 });
    await worker.start();
    const builder = await nthSleeper(1);
    await waitFor(async () => (await getBuild(api.id)).pid === builder.pid, 3_000, "the builder's pid in the database");

    // What the process that took the id over does first: hold the lease, mark this one's builds interrupted.
    await ctx.prisma.lease.update({ where: { name: `${INSTANCE_LEASE}${worker.runner}` }, data: { holder: `${worker.runner}#another-process`, until: new Date(Date.now() + 60_000) } });
    await ctx.prisma.build.update({ where: { id: api.id }, data: { status: "interrupted", finishedAt: new Date(), failureReason: "interrupted: taken over" } });

    await waitFor(() => worker.refused?.startsWith("another process took over instance"), 3_000, "the worker to notice");
    await expectGone([builder.pid, builder.grandchild]);
    expect(worker.started).toBe(false);
    await sleep(500);
    expect(await getBuild(api.id)).toMatchObject({ status: "interrupted", failureReason: "interrupted: taken over" });
  });

  it("after a restart marks the build the dead worker left running as interrupted, stops its orphaned builder and runs what was queued", async () => {
    process.env.FAKE_DOCKER_MODE = "sleep";
    const api = await request("lucid-session-api");
    const monitor = await request("lucid-rdp-monitor");
    // The database createTestDatabase made, for a second process to open.
    const databaseUrl = ctx.databaseUrl;

    const readyFile = path.join(ctx.root, "worker.pid");
    let output = "";
    const child = spawn(TSX, [WORKER_PROCESS, databaseUrl, JSON.stringify(settings({ concurrency: 1 })), readyFile, JSON.stringify(LEASES)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    ctx.children.push(child);
    child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

    const workerPid = Number(await waitFor(() => existsSync(readyFile) && readFileSync(readyFile, "utf8"), 15_000, `the worker process to start (${output})`));
    ctx.extraPids.push(workerPid);
    const orphan = await nthSleeper(1, 10_000);
    await waitFor(async () => (await getBuild(api.id)).pid === orphan.pid, 3_000, "the builder's pid in the database");
    expect((await getBuild(api.id)).status).toBe("running");
    expect((await getBuild(monitor.id)).status).toBe("queued");

    process.kill(workerPid, "SIGKILL"); // the worker only, not its builder
    await exited;
    expect(isGone(workerPid)).toBe(true);
    expect(isGone(orphan.pid) || isGone(orphan.grandchild)).toBe(false); // orphaned, still running
    expect((await getBuild(api.id)).status).toBe("running");

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    process.env.FAKE_DOCKER_MODE = "ok";
    process.env.FAKE_DOCKER_DIGEST = rdpMonitor.digest;
    const restarted = newWorker({ concurrency: 1 });
    await restarted.start();
    // On PostgreSQL the dead worker's liveness lease runs out first (it may be a live process with the same id).
    await waitFor(() => restarted.started, 5_000, "the restarted worker to take the instance id");

    const interrupted = await getBuild(api.id);
    expect(interrupted.status).toBe("interrupted");
    expect(interrupted.failureReason).toMatch(/stopped while this build was running/);
    expect(interrupted.finishedAt).not.toBeNull();
    expect(interrupted.durationMs).toBe(interrupted.finishedAt!.getTime() - interrupted.startedAt!.getTime());
    expect(await latestState("lucid-session-api")).toBe("failed");
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(`build ${api.id} was running`));
    await expectGone([orphan.pid, orphan.grandchild]);

    const next = await waitForStatus(monitor.id, FINISHED, 10_000);
    expect(next).toMatchObject({ status: "succeeded", pushed: true, digest: rdpMonitor.digest });
    expect(recordedArgv()).toHaveLength(2);
    expect(recordedArgv()[1]).toContain(path.join(ctx.realCheckout, "RDP", "Dockerfile.monitor"));
    expect((await getBuild(api.id)).status).toBe("interrupted"); // never back to running
  });

  describe("refuses a build that could not run safely, and never starts the builder for it", () => {
    async function refusal(name: string): Promise<BuildRequestError> {
      const before = await ctx.prisma.build.count();
      const error = await request(name).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(BuildRequestError);
      expect((error as BuildRequestError).status).toBe(422);
      expect(await ctx.prisma.build.count()).toBe(before);
      return error as BuildRequestError;
    }

    it("a Dockerfile outside the checkout, a context linked outside it, an invalid tag: 422 on request, failed if already queued", async () => {
      const outside = path.join(ctx.root, "outside");
      mkdirSync(outside);
      writeFileSync(path.join(outside, "Dockerfile"), "FROM scratch\n");
      symlinkSync(outside, path.join(ctx.checkout, "linked-context"));
      await ctx.prisma.image.update({ where: { name: "lucid-session-api" }, data: { dockerfile: "../outside/Dockerfile" } });
      await ctx.prisma.image.update({ where: { name: "lucid-rdp-monitor" }, data: { context: "linked-context" } });
      await ctx.prisma.image.update({ where: { name: "lucid-session-pipeline" }, data: { tags: ["pickme/lucid-x:bad tag;rm -rf /"] } });

      const escapes = await refusal("lucid-session-api");
      expect(escapes.message).toBe(`lucid-session-api: ../outside/Dockerfile leaves the checkout ${ctx.checkout}`);
      const linked = await refusal("lucid-rdp-monitor");
      expect(linked.message).toContain(`linked-context resolves to ${realpathSync(outside)}, outside the checkout`);
      expect(linked.message).toContain("symbolic link");
      const badTag = await refusal("lucid-session-pipeline");
      expect(badTag.message).toMatch(/^lucid-session-pipeline: "pickme\/lucid-x:bad tag;rm -rf \/" is not a valid image reference: /);

      // Queued before the plan changed (inserted directly): the worker fails each with the same reason.
      const queued: Record<string, number> = {};
      for (const name of ["lucid-session-api", "lucid-rdp-monitor", "lucid-session-pipeline"]) {
        const image = await ctx.prisma.image.findUniqueOrThrow({ where: { name } });
        const build = await ctx.prisma.build.create({
          data: { imageId: image.id, status: "queued", source: "dashboard", startedBy: "user worker.test", queuedAt: new Date(), tags: [], platforms: image.platforms ?? [] },
        });
        queued[name] = build.id;
      }
      await newWorker({ concurrency: 2 }).start();
      const reasons: Record<string, string | null> = {};
      for (const [name, id] of Object.entries(queued)) {
        const build = await waitForStatus(id, FINISHED, 5_000);
        expect(build).toMatchObject({ status: "failed", exitCode: null, pushed: false, argv: null, logPath: null, pid: null });
        expect(build.startedAt).not.toBeNull();
        reasons[name] = build.failureReason;
        expect(await latestState(name)).toBe("failed");
      }
      expect(reasons).toEqual({
        "lucid-session-api": escapes.message,
        "lucid-rdp-monitor": linked.message,
        "lucid-session-pipeline": badTag.message,
      });
      expect(existsSync(ctx.files.argv)).toBe(false);
      expect(recordedArgv()).toEqual([]);
    });
  });

  it("fails a build that runs past the timeout and stops its process group", async () => {
    process.env.FAKE_DOCKER_MODE = "sleep";
    const { id } = await request("lucid-session-api");
    await newWorker({ timeoutMs: 1_500 }).start();
    const sleeper = await nthSleeper(1);
    const build = await waitForStatus(id, FINISHED, 6_000);

    expect(build).toMatchObject({ status: "failed", pushed: false, pid: null });
    expect(build.failureReason).toMatch(/^timed out after \d+(\.\d+)? s$/);
    expect(build.durationMs!).toBeGreaterThanOrEqual(1_500);
    await expectGone([sleeper.pid, sleeper.grandchild]);
    expect(readFileSync(build.logPath!, "utf8")).toContain(`[timed out after 1.5 s: sent SIGTERM to process group ${sleeper.pid}]`);
    expect(await latestState("lucid-session-api")).toBe("failed");
  });

  // Safeguards added after these tests first showed the bugs they describe.
  describe("runner safeguards", () => {
    /** A builder a previous dashboard process started (detached, as process.ts does) and left behind. */
    async function orphanedBuild(env: Record<string, string> = {}): Promise<{ id: number; pid: number }> {
      const image = await ctx.prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
      const child = spawn("docker", ["buildx", "build", "--from-a-previous-process"], { env: { ...process.env, FAKE_DOCKER_MODE: "sleep", ...env }, detached: true, stdio: "ignore" });
      ctx.children.push(child);
      const { pid } = await nthSleeper(1);
      const build = await ctx.prisma.build.create({
        data: { imageId: image.id, status: "running", source: "dashboard", queuedAt: new Date(), startedAt: new Date(), tags: [], platforms: image.platforms ?? [], pid, pidIdentity: processIdentity(pid) },
      });
      return { id: build.id, pid };
    }

    // stop() waits for a claim in flight, so no builder starts after it resolved.
    it("stop() waits for a poll in flight: no builder starts after stop() resolved", async () => {
      process.env.FAKE_DOCKER_MODE = "sleep";
      const { id } = await request("lucid-session-api");
      const worker = newWorker();
      await worker.start();
      await worker.stop();
      await sleep(1_000);
      expect(recordedArgv()).toEqual([]);
      expect(["queued", "cancelled"]).toContain((await getBuild(id)).status);
    });

    // Recovery escalates to SIGKILL after killGraceMs, as process.ts does, for a builder that ignores SIGTERM.
    it("start() stops an orphaned builder that ignores SIGTERM (SIGKILL after killGraceMs)", async () => {
      vi.spyOn(console, "warn").mockImplementation(() => {});
      const orphan = await orphanedBuild({ FAKE_DOCKER_IGNORE_SIGTERM: "1" });
      await newWorker({ killGraceMs: 300 }).start();
      expect((await getBuild(orphan.id)).status).toBe("interrupted");
      await expectGone([orphan.pid], 2_000);
    });

    // A recorded pid is signalled only while boot id and start time still match (a reboot recycles pids).
    it("start() leaves alone a process group that merely reuses a recorded builder pid", async () => {
      vi.spyOn(console, "warn").mockImplementation(() => {});
      const unrelated = spawn("sleep", ["60"], { detached: true, stdio: "ignore" });
      ctx.children.push(unrelated);
      const pid = unrelated.pid!;
      const image = await ctx.prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
      const stale = await ctx.prisma.build.create({
        data: { imageId: image.id, status: "running", source: "dashboard", startedAt: new Date(Date.now() - 60_000), tags: [], platforms: [], pid },
      });
      await newWorker().start();
      expect((await getBuild(stale.id)).status).toBe("interrupted");
      await sleep(500);
      expect(isGone(pid)).toBe(false);
    });
  });
});
