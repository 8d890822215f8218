import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { recordSamples } from "@/lib/health/record";
import { DEPLOY_HOST_KEY } from "@/lib/health/settings";
import { statusPage } from "@/lib/health/status-page";
import { seedDefaults } from "@/lib/plan/seed";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
const NOW = new Date("2026-03-01T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

beforeAll(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
  await prisma.setting.create({ data: { key: DEPLOY_HOST_KEY, value: "127.0.0.1" } });
  // Deployed: the Session API (pushed in the build summary) and the VM (an admin saved its target).
  await prisma.image.update({ where: { name: "lucid-vm" }, data: { port: 9000, healthPath: "/health", healthTargetSetAt: hoursAgo(100) } });
  const api = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
  const vm = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-vm" } });
  const sample = (imageId: number, at: Date, outcome: "up" | "down" | "degraded") => ({ imageId, at, outcome, httpStatus: outcome === "down" ? 503 : 200, latencyMs: 5, error: outcome === "up" ? null : `status "${outcome}"` });
  // The API: up for two days, then degraded in the last hour. The VM: up long ago, down for the last 3 hours.
  await recordSamples(prisma, [sample(api.id, hoursAgo(40), "up"), sample(api.id, hoursAgo(20), "up"), sample(api.id, hoursAgo(0.5), "degraded")], 3);
  // Thirty days ago the VM was up (an hourly rollup, as the retention job leaves it), then down lately.
  await prisma.healthRollup.create({ data: { imageId: vm.id, hour: hoursAgo(24 * 20), samples: 6, up: 6 } });
  await recordSamples(prisma, [1, 2, 3].map((h) => sample(vm.id, hoursAgo(h), "down")), 3);
});
afterAll(async () => cleanup());

describe("statusPage", () => {
  it("counts every state, lists the worst first, and puts open incidents before resolved ones", async () => {
    const page = await statusPage(prisma, NOW);
    expect(page.counts).toMatchObject({ down: 1, degraded: 1 });
    expect(page.counts.not_deployed).toBeGreaterThan(0);
    expect(page.services.slice(0, 2).map((s) => [s.name, s.state])).toEqual([
      ["lucid-vm", "down"],
      ["lucid-session-api", "degraded"],
    ]);
    expect(page.incidents.map((i) => [i.image, i.kind, i.endedAt === null])).toEqual([
      ["lucid-session-api", "degraded", true],
      ["lucid-vm", "down", true],
    ]);
  });

  it("reads uptime over 24 h, 7 d and 30 d from the samples kept and the hourly rollups", async () => {
    const page = await statusPage(prisma, NOW);
    const vm = page.services.find((s) => s.name === "lucid-vm")!;
    expect(vm.uptime).toEqual({ day: 0, week: 0, month: 6 / 9 });
    expect(vm.heartbeats.map((h) => h.outcome)).toEqual(["down", "down", "down"]);
    const api = page.services.find((s) => s.name === "lucid-session-api")!;
    expect(api.uptime.day).toBeCloseTo(1 / 2);
    expect(api.uptime.week).toBeCloseTo(2 / 3);
    expect(api.heartbeats.map((h) => [h.outcome, h.at])).toEqual([
      ["up", hoursAgo(40).toISOString()],
      ["up", hoursAgo(20).toISOString()],
      ["degraded", hoursAgo(0.5).toISOString()],
    ]);
  });

  it("shows each service's last 30 probes, oldest first, whatever else is stored", async () => {
    const { prisma: db, cleanup: drop } = await createTestDatabase();
    try {
      await seedDefaults(db);
      await db.setting.create({ data: { key: DEPLOY_HOST_KEY, value: "127.0.0.1" } });
      const image = await db.image.update({ where: { name: "lucid-vm" }, data: { port: 9000, healthPath: "/health", healthTargetSetAt: hoursAgo(100) } });
      // 40 probes a minute apart, the last 10 down, written in one go as a sweep would not: newest first.
      const samples = Array.from({ length: 40 }, (_, n) => ({ imageId: image.id, at: new Date(NOW.getTime() - (40 - n) * 60_000), outcome: n >= 30 ? ("down" as const) : ("up" as const), httpStatus: n >= 30 ? 503 : 200, latencyMs: n, error: null }));
      await db.healthSample.createMany({ data: samples.reverse() });
      const vm = (await statusPage(db, NOW)).services.find((s) => s.name === "lucid-vm")!;
      expect(vm.heartbeats).toHaveLength(30);
      expect(vm.heartbeats.map((h) => h.latencyMs)).toEqual(Array.from({ length: 30 }, (_, i) => i + 10));
      expect(vm.heartbeats.at(-1)).toMatchObject({ outcome: "down", httpStatus: 503, at: new Date(NOW.getTime() - 60_000).toISOString() });
    } finally {
      await drop();
    }
  });
});
