import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations } from "@/lib/db/migrations";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { HealthOverview, ImageHealthDetail } from "@/lib/health/queries";
import { DEPLOY_HOST_KEY } from "@/lib/health/settings";
import { seedDefaults } from "@/lib/plan/seed";
import { createToken } from "@/lib/tokens/tokens";

let overview: typeof import("@/app/api/health/route").GET;
let detail: typeof import("@/app/api/health/[name]/route").GET;
let prisma: PrismaClient;
let dir: string;
const savedUrl = process.env.DATABASE_URL;
let reader = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lucid-health-route-"));
  const databaseUrl = `file:${path.join(dir, "route.db")}`;
  await deployMigrations({ databaseUrl });
  // lib/db/client.ts opens its client on import (kept on globalThis), so point it at the temp database first.
  process.env.DATABASE_URL = databaseUrl;
  delete (globalThis as { lucidPrisma?: unknown }).lucidPrisma;
  ({ GET: overview } = await import("@/app/api/health/route"));
  ({ GET: detail } = await import("@/app/api/health/[name]/route"));
  ({ prisma } = await import("@/lib/db/client"));
  await seedDefaults(prisma);
  reader = (await createToken(prisma, "reader")).token;
});

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { lucidPrisma?: unknown }).lucidPrisma;
  process.env.DATABASE_URL = savedUrl;
  await rm(dir, { recursive: true, force: true });
});

const auth = () => ({ headers: { authorization: `Bearer ${reader}` } });
const getDetail = (name: string) => detail(new Request(`http://localhost/api/health/${name}`, auth()), { params: Promise.resolve({ name }) });
const getOverview = () => overview(new Request("http://localhost/api/health", auth()));

describe("GET /api/health", () => {
  it("says polling is off and every image is off while no host is set", async () => {
    const body = (await (await getOverview()).json()) as HealthOverview;
    expect(body.enabled).toBe(false);
    expect(body.target).toBeNull();
    expect(body.images).toHaveLength(35);
    expect(new Set(body.images.map((i) => i.state))).toEqual(new Set(["off"]));
    expect(body.images[0]).toEqual({ name: body.images[0]!.name, state: "off", since: null, lastProbe: null, uptime24h: null });
  });

  it("shows polled images as unknown until their first probe once a host is set", async () => {
    await prisma.setting.create({ data: { key: DEPLOY_HOST_KEY, value: "127.0.0.1" } });
    const body = (await (await getOverview()).json()) as HealthOverview;
    expect(body).toMatchObject({ enabled: true, target: { host: "127.0.0.1", scheme: "http" } });
    expect(body.images.find((i) => i.name === "lucid-session-api")!.state).toBe("unknown");
    // MongoDB has a port but no HTTP health path.
    expect(body.images.find((i) => i.name === "lucid-mongodb")!.state).toBe("off");
  });
});

describe("GET /api/health/{name}", () => {
  it("returns one image's health", async () => {
    const response = await getDetail("lucid-session-api");
    expect(response.status).toBe(200);
    const body = (await response.json()) as ImageHealthDetail;
    expect(body).toMatchObject({ name: "lucid-session-api", state: "unknown", offReason: null, heartbeats: [], incidents: [], uptime24h: null });
    expect(body.target.url).toBe("http://127.0.0.1:8090/health");
  });

  it("404 for an unknown image, 400 for a malformed name", async () => {
    expect((await getDetail("lucid-nothing")).status).toBe(404);
    expect((await getDetail("Not..Valid!")).status).toBe(400);
  });
});
