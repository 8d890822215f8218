import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyDeployTarget, HealthPoller } from "@/lib/health/poller";
import { mapWithLimit } from "@/lib/concurrency";
import { probe, type Probe } from "@/lib/health/probe";
import { healthOverview, imageHealth } from "@/lib/health/queries";
import { recordSamples } from "@/lib/health/record";
import { DEPLOY_HOST_KEY, MAX_BODY_BYTES, type HealthSettings } from "@/lib/health/settings";
import { closedPort, hangAfterHeaders, json, startServer, type TestServer } from "@/lib/health/testing/servers";
import { blackboxProbe } from "@/lib/health/blackbox";
import { seedDefaults } from "@/lib/plan/seed";

// Targets are local servers on 127.0.0.1; the deployment host is 127.0.0.1.
const SETTINGS: HealthSettings = { intervalMs: 30_000, timeoutMs: 400, threshold: 3, concurrency: 50, retentionDays: 7, maxBodyBytes: MAX_BODY_BYTES };
const A = "lucid-session-api";
const B = "lucid-auth-service";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
let databasePath: string;
let server: TestServer;
let healthy = true;
let probes = 0;
const countingProbe: Probe = (target, options) => {
  probes++;
  return probe(target, options);
};

beforeAll(async () => {
  let url: string;
  ({ prisma, cleanup, url } = await createTestDatabase());
  databasePath = url.replace(/^file:/, "");
  await seedDefaults(prisma);
  server = await startServer((req, res) => {
    if (req.url?.startsWith("/hang")) return hangAfterHeaders(res);
    if (req.url === "/flaky") return healthy ? json(res, 200, { status: "healthy" }) : json(res, 503, { status: "starting" });
    return json(res, 200, { status: "healthy" });
  });
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

beforeEach(async () => {
  healthy = true;
  probes = 0;
  await prisma.setting.deleteMany();
  await prisma.healthSample.deleteMany();
  await prisma.healthStatus.deleteMany();
  await prisma.healthIncident.deleteMany();
  await prisma.healthRollup.deleteMany();
  await prisma.notificationEvent.deleteMany();
  await prisma.notificationChannel.deleteMany();
  await prisma.image.updateMany({ data: { port: null, healthPath: "/health", healthExpectField: null, healthExpectValue: null, healthTargetSetAt: null } });
});

const setHost = (host: string) => prisma.setting.create({ data: { key: DEPLOY_HOST_KEY, value: host } });
const point = (name: string, path: string, expect?: { field: string; value: string }) =>
  prisma.image.update({ where: { name }, data: { port: server.port, healthPath: path, healthExpectField: expect?.field ?? null, healthExpectValue: expect?.value ?? null, healthTargetSetAt: new Date() } });
const statusOf = async (name: string) => (await prisma.image.findUniqueOrThrow({ where: { name }, include: { healthStatus: true } })).healthStatus;
const overviewOf = async (name: string) => (await healthOverview(prisma)).images.find((i) => i.name === name)!;

describe("HealthPoller.sweepOnce", () => {
  it("sweeps 1,200 targets: no query's parameter list grows with the number of images", async () => {
    const { prisma: big, cleanup: done } = await createTestDatabase();
    try {
      const phase = await big.phase.create({ data: { number: 1, name: "Many", category: "Scale", required: 1200 } });
      await big.image.createMany({
        data: Array.from({ length: 1200 }, (_, i) => ({
          name: `image-${i}`, step: i + 1, title: `Image ${i}`, repository: `lucid/image-${i}`, tags: [], dockerfile: "Dockerfile",
          context: ".", platforms: ["linux/arm64"], port: server.port, healthPath: `/many/${i}`, healthTargetSetAt: new Date(), phaseId: phase.id,
        })),
      });
      await big.setting.create({ data: { key: DEPLOY_HOST_KEY, value: "127.0.0.1" } });
      const report = await new HealthPoller(big, { ...SETTINGS, concurrency: 200 }).sweepOnce();
      expect(report).toMatchObject({ enabled: true, targets: 1200, outcomes: { up: 1200 } });
      expect(await big.healthStatus.count({ where: { state: "up" } })).toBe(1200);
    } finally {
      await done();
    }
  });

  it("probes nothing while no deployment host is set, and picks one up at the next sweep", async () => {
    await point(A, "/flaky");
    const poller = new HealthPoller(prisma, SETTINGS, countingProbe);
    const before = server.requests();
    expect(await poller.sweepOnce()).toMatchObject({ enabled: false, targets: 0 });
    expect(probes).toBe(0);
    expect(server.requests()).toBe(before);
    expect(await prisma.healthSample.count()).toBe(0);
    expect((await overviewOf(A)).state).toBe("off");

    await setHost("127.0.0.1");
    expect((await overviewOf(A)).state).toBe("unknown");
    expect(await poller.sweepOnce()).toMatchObject({ enabled: true, targets: 1, outcomes: { up: 1 } });
    expect(probes).toBe(1);
  });

  it("probes an image only once it is deployed: a pushed build or a target an admin saved; until then it is not deployed", async () => {
    const NEW = "lucid-vm"; // no build record in the default data
    await setHost("127.0.0.1");
    await prisma.image.update({ where: { name: NEW }, data: { port: server.port, healthPath: "/flaky" } });
    const poller = new HealthPoller(prisma, SETTINGS, countingProbe);
    expect(await poller.sweepOnce()).toMatchObject({ enabled: true, targets: 0 });
    expect(probes).toBe(0);
    expect(await overviewOf(NEW)).toMatchObject({ state: "not_deployed", since: null });
    expect(await prisma.healthIncident.count()).toBe(0);

    const { id: imageId } = await prisma.image.findUniqueOrThrow({ where: { name: NEW } });
    const build = await prisma.build.create({ data: { imageId, status: "succeeded", source: "api", pushed: true, tags: [], platforms: [] } });
    try {
      expect(await poller.sweepOnce()).toMatchObject({ targets: 1, outcomes: { up: 1 } });
      expect((await overviewOf(NEW)).state).toBe("up");
    } finally {
      await prisma.build.delete({ where: { id: build.id } });
    }
  });

  it("probes only images with a port and a path; the others are off", async () => {
    await setHost("127.0.0.1");
    await point(A, "/flaky");
    await point(B, "/flaky");
    await prisma.image.update({ where: { name: B }, data: { healthPath: null } });
    const report = await new HealthPoller(prisma, SETTINGS, countingProbe).sweepOnce();
    expect(report.targets).toBe(1);
    const overview = await healthOverview(prisma);
    expect(overview.images).toHaveLength(35);
    expect(overview.images.filter((i) => i.state !== "off").map((i) => i.name)).toEqual([A]);
  });

  it(`turns failing, then down only after ${SETTINGS.threshold} failures with an incident, and recovers`, async () => {
    await setHost("127.0.0.1");
    await point(A, "/flaky", { field: "status", value: "healthy" });
    const poller = new HealthPoller(prisma, SETTINGS);

    await poller.sweepOnce();
    const up = await statusOf(A);
    expect(up).toMatchObject({ state: "up", consecutiveFailures: 0 });

    healthy = false;
    await poller.sweepOnce();
    const firstFailure = await statusOf(A);
    expect(firstFailure).toMatchObject({ state: "failing", consecutiveFailures: 1 });
    expect(firstFailure!.since.getTime()).toBeGreaterThan(up!.since.getTime());
    await poller.sweepOnce();
    expect(await statusOf(A)).toMatchObject({ state: "failing", consecutiveFailures: 2, since: firstFailure!.since });
    expect(await prisma.healthIncident.count()).toBe(0);

    await poller.sweepOnce();
    const down = await statusOf(A);
    expect(down).toMatchObject({ state: "down", consecutiveFailures: 3 });
    const incidents = await prisma.healthIncident.findMany();
    expect(incidents).toEqual([expect.objectContaining({ endedAt: null, reason: "Down: HTTP 503 Service Unavailable", startedAt: down!.since })]);

    await poller.sweepOnce();
    expect(await statusOf(A)).toMatchObject({ state: "down", consecutiveFailures: 4, since: down!.since });
    expect(await prisma.healthIncident.count()).toBe(1);

    healthy = true;
    await poller.sweepOnce();
    const recovered = await statusOf(A);
    expect(recovered).toMatchObject({ state: "up", consecutiveFailures: 0 });
    const [closed] = await prisma.healthIncident.findMany();
    expect(closed!.endedAt).toEqual(recovered!.since);

    const detail = (await imageHealth(prisma, A))!;
    expect(detail.heartbeats.map((h) => h.outcome)).toEqual(["up", "down", "down", "down", "down", "up"]);
    expect(detail.uptime24h).toBeCloseTo(2 / 6);
    expect(detail.incidents).toHaveLength(1);
    expect(detail.lastError).toMatchObject({ outcome: "down", httpStatus: 503 });
    expect(detail.target.url).toBe(`http://127.0.0.1:${server.port}/flaky`);
    const summary = await overviewOf(A);
    expect(summary).toMatchObject({ state: "up", since: recovered!.since.toISOString(), lastProbe: { outcome: "up", httpStatus: 200 } });
    expect(summary.uptime24h).toBeCloseTo(2 / 6);
  });

  it("shows a service the prober could not check as not checked: no failure counted, no incident, no notification, uptime untouched", async () => {
    await setHost("127.0.0.1");
    await point(A, "/flaky", { field: "status", value: "healthy" });
    // The probes go through a blackbox exporter that is sometimes not there (nothing listens on its port).
    let exporterDown = false;
    const unreachable = blackboxProbe({ kind: "blackbox", url: `http://127.0.0.1:${await closedPort()}`, module: "http_2xx" });
    const poller = new HealthPoller(prisma, SETTINGS, (target, options) => (exporterDown ? unreachable(target, options) : probe(target, options)));
    // A channel that takes every event, so whatever the health change tells is written (the outbox); never sent here.
    await prisma.notificationChannel.create({ data: { name: "all", kind: "webhook", events: [], phases: [], images: [], settings: {}, secrets: "" } });
    const events = () => prisma.notificationEvent.findMany({ select: { type: true }, orderBy: { createdAt: "asc" } });

    await poller.sweepOnce();
    const up = await statusOf(A);
    exporterDown = true;
    for (let i = 0; i < SETTINGS.threshold + 1; i++) await poller.sweepOnce();
    const unchecked = await statusOf(A);
    expect(unchecked).toMatchObject({ state: "up", since: up!.since, consecutiveFailures: 0 });
    expect(unchecked!.uncheckedSince!.getTime()).toBeGreaterThan(up!.since.getTime());
    const summary = await overviewOf(A);
    expect(summary).toMatchObject({ state: "not_checked", since: unchecked!.uncheckedSince!.toISOString(), lastProbe: { outcome: "not_checked" } });
    expect(summary.lastProbe!.error).toMatch(/^the blackbox exporter at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);
    expect(summary.uptime24h).toBe(1);
    // Nothing went wrong with the service itself.
    expect((await imageHealth(prisma, A))!.lastError).toBeNull();
    expect(await prisma.healthIncident.count()).toBe(0);
    expect(await events()).toEqual([]);

    // Down for real while the exporter works, then not checked again: the incident stays open, nothing is told.
    exporterDown = false;
    healthy = false;
    for (let i = 0; i < SETTINGS.threshold; i++) await poller.sweepOnce();
    expect(await statusOf(A)).toMatchObject({ state: "down", uncheckedSince: null });
    expect(await events()).toEqual([{ type: "service.down" }]);
    exporterDown = true;
    await poller.sweepOnce();
    expect((await overviewOf(A)).state).toBe("not_checked");
    expect(await prisma.healthIncident.findMany()).toEqual([expect.objectContaining({ endedAt: null })]);
    expect(await events()).toEqual([{ type: "service.down" }]);

    exporterDown = false;
    healthy = true;
    await poller.sweepOnce();
    expect(await overviewOf(A)).toMatchObject({ state: "up" });
    expect((await prisma.healthIncident.findMany())[0]!.endedAt).not.toBeNull();
    expect(await events()).toEqual([{ type: "service.down" }, { type: "service.recovered" }]);
    const detail = (await imageHealth(prisma, A))!;
    expect(detail.heartbeats.filter((h) => h.outcome === "not_checked")).toHaveLength(SETTINGS.threshold + 2);
    // 1 up + 3 down + 1 up checked; the 5 unchecked probes count neither way.
    expect(detail.uptime24h).toBeCloseTo(2 / 5);
    expect(detail.latency.reduce((n, p) => n + p.failures, 0)).toBe(3);
  });

  it("takes about one timeout for many targets when some hang, not the sum", async () => {
    await setHost("127.0.0.1");
    const images = await prisma.image.findMany({ select: { name: true }, orderBy: { id: "asc" }, take: 12 });
    const hanging = 4;
    await mapWithLimit(images, 12, (image, i) => point(image.name, i < hanging ? `/hang/${i}` : `/ok/${i}`));
    const report = await new HealthPoller(prisma, SETTINGS).sweepOnce();
    expect(report).toMatchObject({ enabled: true, targets: 12, outcomes: { up: 8, timeout: hanging } });
    expect(report.probeMs).toBeGreaterThanOrEqual(SETTINGS.timeoutMs - 5);
    expect(report.durationMs).toBeLessThan(SETTINGS.timeoutMs * 2);
  });

  it("keeps to the concurrency cap", async () => {
    await setHost("127.0.0.1");
    const images = await prisma.image.findMany({ select: { name: true }, orderBy: { id: "asc" }, take: 10 });
    await mapWithLimit(images, 10, (image, i) => point(image.name, `/ok/${i}`));
    let inFlight = 0;
    let peak = 0;
    const tracked: Probe = async (target, options) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await probe(target, options);
      } finally {
        inFlight--;
      }
    };
    await new HealthPoller(prisma, { ...SETTINGS, concurrency: 3 }, tracked).sweepOnce();
    expect(peak).toBe(3);
    expect(await prisma.healthSample.count()).toBe(10);
  });

  it("starts the targets that were slow in the last sweep first", async () => {
    await setHost("127.0.0.1");
    const images = await prisma.image.findMany({ select: { name: true }, orderBy: [{ phase: { number: "asc" } }, { step: "asc" }], take: 6 });
    await mapWithLimit(images, 6, (image, i) => point(image.name, i >= 4 ? `/hang/${i}` : `/ok/${i}`));
    const started: string[] = [];
    const tracked: Probe = (target, options) => {
      started.push(new URL(target.url).pathname);
      return probe(target, options);
    };
    const poller = new HealthPoller(prisma, { ...SETTINGS, concurrency: 1, timeoutMs: 150 }, tracked);
    await poller.sweepOnce();
    expect(started).toEqual(["/ok/0", "/ok/1", "/ok/2", "/ok/3", "/hang/4", "/hang/5"]);
    started.length = 0;
    await poller.sweepOnce();
    expect(started.slice(0, 2).sort()).toEqual(["/hang/4", "/hang/5"]);
  });
});

describe("HealthPoller.checkNow", () => {
  it("probes one image at once and records the sample", async () => {
    await setHost("127.0.0.1");
    await point(A, "/flaky");
    const result = await new HealthPoller(prisma, SETTINGS).checkNow(A);
    expect(result).toMatchObject({ ok: true, state: "up", result: { outcome: "up", httpStatus: 200 } });
    expect(await prisma.healthSample.count()).toBe(1);
  });

  it("records a probe that throws as not checked, naming the failure, never as the service's", async () => {
    await setHost("127.0.0.1");
    await point(A, "/flaky");
    const result = await new HealthPoller(prisma, SETTINGS, async () => Promise.reject(new Error("boom"))).checkNow(A);
    expect(result).toMatchObject({ ok: true, state: "not_checked", result: { outcome: "not_checked", error: "the probe failed: boom" } });
    expect(await prisma.healthStatus.findFirst()).toMatchObject({ state: "unknown", consecutiveFailures: 0 });
  });

  it("says why when there is nothing to probe", async () => {
    const poller = new HealthPoller(prisma, SETTINGS);
    expect(await poller.checkNow(A)).toMatchObject({ ok: false, reason: "no_host" });
    await setHost("127.0.0.1");
    expect(await poller.checkNow(A)).toMatchObject({ ok: false, reason: "no_target" });
    expect(await poller.checkNow("no-such-image")).toMatchObject({ ok: false, reason: "unknown_image" });
  });
});

describe("recordSamples", () => {
  it("drops the sample of an image removed while it was probed, and keeps the others", async () => {
    const image = await prisma.image.findUniqueOrThrow({ where: { name: A } });
    const sample = { outcome: "up" as const, httpStatus: 200, latencyMs: 5, error: null, at: new Date() };
    const summary = await recordSamples(prisma, [{ ...sample, imageId: image.id }, { ...sample, imageId: 999_999 }], SETTINGS.threshold);
    expect(summary.samples).toBe(1);
    expect(await prisma.healthSample.count()).toBe(1);
  });

  it.skipIf(onPostgres)("waits for another process's write instead of failing on a stale snapshot (SQLITE_BUSY)", async () => {
    const { spawn } = await import("node:child_process");
    const image = await prisma.image.findUniqueOrThrow({ where: { name: A } });
    // Another process (the worker, the CLI) holds the write lock for a moment and commits while we record.
    const holder = spawn(process.execPath, [
      "-e",
      `const db = new (require("better-sqlite3"))(${JSON.stringify(databasePath)});
       db.exec("BEGIN IMMEDIATE");
       db.prepare("INSERT INTO Setting (key, value, updatedAt) VALUES ('bench.lock', '1', 0)").run();
       console.log("locked"); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400); db.exec("COMMIT"); db.close();`,
    ]);
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on("data", () => resolve());
      holder.stderr.on("data", (data) => reject(new Error(String(data))));
    });
    const sample = { outcome: "up" as const, httpStatus: 200, latencyMs: 5, error: null, at: new Date(), imageId: image.id };
    const summary = await recordSamples(prisma, [sample], SETTINGS.threshold);
    expect(summary.samples).toBe(1);
    await new Promise((resolve) => holder.on("exit", resolve));
    expect(await prisma.setting.findUnique({ where: { key: "bench.lock" } })).not.toBeNull();
  });
});

describe("deployment target changes", () => {
  it("start over from unknown and end open incidents", async () => {
    await applyDeployTarget(prisma, { host: "127.0.0.1", scheme: "http" });
    await point(A, "/flaky");
    healthy = false;
    const poller = new HealthPoller(prisma, { ...SETTINGS, threshold: 1 });
    await poller.sweepOnce();
    expect(await statusOf(A)).toMatchObject({ state: "down" });

    expect(await applyDeployTarget(prisma, { host: "127.0.0.1", scheme: "http" })).toBe(false);
    expect(await statusOf(A)).toMatchObject({ state: "down" });

    expect(await applyDeployTarget(prisma, { host: "localhost", scheme: "http" })).toBe(true);
    expect(await statusOf(A)).toBeNull();
    expect((await prisma.healthIncident.findFirstOrThrow()).endedAt).not.toBeNull();
    expect((await overviewOf(A)).state).toBe("unknown");

    expect(await applyDeployTarget(prisma, null)).toBe(true);
    expect((await healthOverview(prisma)).enabled).toBe(false);
  });
});

describe("HealthPoller.rollupIfDue", () => {
  it("rolls up at most once an hour", async () => {
    const poller = new HealthPoller(prisma, SETTINGS);
    const t = Date.UTC(2026, 0, 1, 12);
    expect(await poller.rollupIfDue(t)).toBe(true);
    expect(await poller.rollupIfDue(t + 59 * 60_000)).toBe(false);
    expect(await poller.rollupIfDue(t + 60 * 60_000)).toBe(true);
  });
});

describe("a target changed while it was probed", () => {
  it("records nothing for it: the result says nothing about the target as it is now", async () => {
    await setHost("127.0.0.1");
    await point(A, "/flaky");
    await point(B, "/health");
    const changingProbe: Probe = async (target, options) => {
      if (target.url.endsWith("/flaky")) await prisma.image.update({ where: { name: A }, data: { healthPath: "/health" } });
      return probe(target, options);
    };
    await new HealthPoller(prisma, SETTINGS, changingProbe).sweepOnce();
    const samples = await prisma.healthSample.findMany({ include: { image: { select: { name: true } } } });
    expect(samples.map((s) => s.image.name)).toEqual([B]);
  });
});
