import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { probeMap } from "@/lib/health/probe-map";
import { shownState } from "@/lib/health/queries";
import { seedDefaults } from "@/lib/plan/seed";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
let checkout: string;
const ids: Record<string, number> = {};

beforeAll(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
  for (const image of await prisma.image.findMany({ select: { id: true, name: true } })) ids[image.name] = image.id;
  // An admin saved a target for the VM; the Session API and RDP Server Manager have pushed builds (the summary's).
  await prisma.image.update({ where: { name: "lucid-vm" }, data: { port: 9000, healthPath: "/ready", healthTargetSetAt: new Date() } });
  checkout = await mkdtemp(path.join(tmpdir(), "lucid-probe-map-"));
  await mkdir(path.join(checkout, "deploy"));
  await writeFile(
    path.join(checkout, "deploy/compose.yml"),
    [
      "services:",
      "  session-api:",
      "    image: pickme/lucid-session-api:latest-arm64",
      "    ports: ['18113:8113']",
      "    healthcheck: { test: [CMD, curl, 'http://localhost:8113/api/health'] }",
      "  gateway:",
      "    image: pickme/lucid-api-gateway",
      "    ports: ['8080:8080', '8443:8443']",
      "  vm:",
      "    image: pickme/lucid-vm",
      "    ports: ['9100:9100']",
    ].join("\n"),
  );
  await writeFile(path.join(checkout, "deploy/broken.yml"), "services: [");
});
afterAll(async () => {
  await cleanup();
  await rm(checkout, { recursive: true, force: true });
});

const env = (files?: string) => ({ LUCID_REPO_ROOT: checkout, ...(files ? { LUCID_COMPOSE_FILES: files } : {}) });
const DEPLOY = { host: "127.0.0.1", scheme: "http" as const };

describe("probeMap", () => {
  it("without Compose files: deployed means a pushed build (or an admin's target), probed on the plan's port and path", async () => {
    const map = await probeMap(prisma, {}, env());
    expect(map.basis).toBe("builds");
    expect(map.deployed.has(ids["lucid-session-api"]!)).toBe(true);
    expect(map.deployed.has(ids["lucid-admin-interface"]!)).toBe(false);
    expect(map.targets.get(ids["lucid-session-api"]!)).toEqual({ port: 8090, path: "/health", source: "plan" });
    expect(map.targets.get(ids["lucid-vm"]!)).toEqual({ port: 9000, path: "/ready", source: "admin" });
  });

  it("with Compose files: a service running the image makes it deployed, probed where its health check says", async () => {
    const map = await probeMap(prisma, {}, env("deploy/compose.yml"));
    expect(map.basis).toBe("deployment");
    // The published host port for the container port its health check fetches, and that URL's path.
    expect(map.targets.get(ids["lucid-session-api"]!)).toEqual({ port: 18113, path: "/api/health", source: "deployment" });
    // Deployed but nothing says which of its two ports answers health: not probed, not guessed.
    expect(map.deployed.has(ids["lucid-api-gateway"]!)).toBe(true);
    expect(map.targets.has(ids["lucid-api-gateway"]!)).toBe(false);
    // Pushed, but no service runs it: not deployed.
    expect(map.deployed.has(ids["lucid-rdp-server-manager"]!)).toBe(false);
    // An admin's explicit target wins over the Compose file.
    expect(map.targets.get(ids["lucid-vm"]!)).toEqual({ port: 9000, path: "/ready", source: "admin" });

    expect(shownState(DEPLOY, ids["lucid-session-api"]!, null, map)).toBe("unknown");
    expect(shownState(DEPLOY, ids["lucid-api-gateway"]!, null, map)).toBe("off");
    expect(shownState(DEPLOY, ids["lucid-rdp-server-manager"]!, { state: "down", since: new Date(), uncheckedSince: null }, map)).toBe("not_deployed");
    expect(shownState(null, ids["lucid-session-api"]!, null, map)).toBe("off");
  });

  it("with Compose files that cannot be read, nothing of them is used: the plan applies", async () => {
    const map = await probeMap(prisma, {}, env("deploy/compose.yml,deploy/broken.yml"));
    expect(map.basis).toBe("builds");
    expect(map.targets.get(ids["lucid-session-api"]!)).toEqual({ port: 8090, path: "/health", source: "plan" });
  });
});
