import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { deployMigrations } from "@/lib/db/migrations";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { json, startServer, type TestServer } from "@/lib/health/testing/servers";
import { seedDefaults } from "@/lib/plan/seed";
import type { CheckNowState, DeployTargetState, HealthTargetState } from "@/lib/actions/health";
import { IDLE } from "@/lib/actions/result";

// revalidatePath needs a Next.js request; outside one there is nothing to revalidate.
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

// The signed-in user, as better-auth would report it; requireRole runs for real, and next/navigation's
// forbidden() and redirect() throw as they do in Next.js.
const session = vi.hoisted(() => ({ role: "admin" }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ cookie: "lucid.session_token=x" }) }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new Error(`REDIRECT ${url}`);
  },
  forbidden: () => {
    throw new Error("FORBIDDEN 403");
  },
}));
vi.mock("@/lib/auth/session-lookup", () => ({
  lookUpSession: async () => ({ session: { user: { id: "u1", email: "admin@example.test", name: "admin", role: session.role }, session: { token: "t1" } }, setCookies: [] }),
}));

type Actions = typeof import("@/lib/actions/health");
let actions: Actions;
let prisma: PrismaClient;
let dir: string;
let server: TestServer;
const savedUrl = process.env.DATABASE_URL;
const slots = globalThis as { lucidPrisma?: unknown; lucidHealthPoller?: unknown };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lucid-health-actions-"));
  const databaseUrl = `file:${path.join(dir, "actions.db")}`;
  await deployMigrations({ databaseUrl });
  process.env.DATABASE_URL = databaseUrl;
  delete slots.lucidPrisma;
  delete slots.lucidHealthPoller;
  actions = await import("@/lib/actions/health");
  ({ prisma } = await import("@/lib/db/client"));
  await seedDefaults(prisma);
  server = await startServer((_req, res) => json(res, 200, { status: "healthy" }));
});

afterAll(async () => {
  await server.close();
  await prisma.$disconnect();
  delete slots.lucidPrisma;
  delete slots.lucidHealthPoller;
  process.env.DATABASE_URL = savedUrl;
  await rm(dir, { recursive: true, force: true });
});

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};
const idleDeploy: DeployTargetState = { ...IDLE, values: { host: "", scheme: "http" } };
const idleTarget: HealthTargetState = { ...IDLE, values: null };
const idleCheck: CheckNowState = { ...IDLE, outcome: null };

describe("saveDeployTarget", () => {
  it("refuses a URL with a path, with the message beside the host field and the input kept", async () => {
    const state = await actions.saveDeployTarget(idleDeploy, form({ host: "http://pi.local/health", scheme: "http" }));
    expect(state).toMatchObject({ status: "invalid", values: { host: "http://pi.local/health" } });
    expect(state.fieldErrors.host).toMatch(/Leave the path out/);
    expect(await prisma.setting.count()).toBe(0);
  });

  it("stores a host, and an empty host turns polling off", async () => {
    const saved = await actions.saveDeployTarget(idleDeploy, form({ host: " 127.0.0.1 ", scheme: "http" }));
    expect(saved).toMatchObject({ status: "saved", values: { host: "127.0.0.1", scheme: "http" } });
    expect(saved.message).toBe("Saved: services are polled on http://127.0.0.1.");
    const off = await actions.saveDeployTarget(saved, form({ host: "", scheme: "http" }));
    expect(off).toMatchObject({ status: "saved", message: "Saved: polling is off." });
    expect(await prisma.setting.count()).toBe(0);
  });
});

describe("saveHealthTarget and checkNow", () => {
  it("refuses a bad port and path beside their fields", async () => {
    const state = await actions.saveHealthTarget(idleTarget, form({ image: "lucid-session-api", port: "70000", healthPath: "health", expectField: "", expectValue: "" }));
    expect(state.status).toBe("invalid");
    expect(Object.keys(state.fieldErrors).sort()).toEqual(["healthPath", "port"]);
    expect(state.values).toMatchObject({ port: "70000", healthPath: "health" });
  });

  it("stores a target, then Check now probes it and records the sample", async () => {
    expect(await actions.checkNow(idleCheck, form({ image: "lucid-session-api" }))).toMatchObject({ error: expect.stringMatching(/Polling is off/) });
    await actions.saveDeployTarget(idleDeploy, form({ host: "127.0.0.1", scheme: "http" }));
    const saved = await actions.saveHealthTarget(idleTarget, form({ image: "lucid-session-api", port: String(server.port), healthPath: "/health", expectField: "status", expectValue: "healthy" }));
    expect(saved).toMatchObject({ status: "saved", message: "Saved: the next probe uses the new target." });
    const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    expect(image).toMatchObject({ port: server.port, healthPath: "/health", healthExpectField: "status", healthExpectValue: "healthy" });

    const checked = await actions.checkNow(idleCheck, form({ image: "lucid-session-api" }));
    expect(checked).toMatchObject({ error: null, outcome: "up", message: expect.stringMatching(/^Up: HTTP 200 in \d+ ms$/) });
    expect(await prisma.healthSample.count({ where: { imageId: image.id } })).toBe(1);
    expect(await actions.checkNow(idleCheck, form({ image: "../etc" }))).toMatchObject({ error: "That is not an image name from the plan." });
  });
});

describe("roles", () => {
  it("refuses settings to operators and viewers and Check now to viewers, writing nothing", async () => {
    const before = { settings: await prisma.setting.findMany(), images: await prisma.image.findMany(), samples: await prisma.healthSample.count(), audit: await prisma.auditEvent.count() };
    try {
      session.role = "operator";
      await expect(actions.saveDeployTarget(idleDeploy, form({ host: "10.0.0.9", scheme: "http" }))).rejects.toThrow(/403/);
      await expect(actions.saveHealthTarget(idleTarget, form({ image: "lucid-session-api", port: "1", healthPath: "/x", expectField: "", expectValue: "" }))).rejects.toThrow(/403/);
      session.role = "viewer";
      await expect(actions.checkNow(idleCheck, form({ image: "lucid-session-api" }))).rejects.toThrow(/403/);
    } finally {
      session.role = "admin";
    }
    expect({ settings: await prisma.setting.findMany(), images: await prisma.image.findMany(), samples: await prisma.healthSample.count(), audit: await prisma.auditEvent.count() }).toEqual(before);
  });

  it("audits what admins and operators changed, with the user as actor", async () => {
    const events = await prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => [e.actor, e.action, e.target])).toEqual(
      expect.arrayContaining([
        ["user admin@example.test", "settings.deploy_target", "deployment host"],
        ["user admin@example.test", "settings.health_target", "image lucid-session-api"],
        ["user admin@example.test", "health.check", "image lucid-session-api"],
      ]),
    );
    const hostChange = events.find((e) => e.action === "settings.deploy_target");
    expect(hostChange?.detail).toEqual({ from: null, to: { host: "127.0.0.1", scheme: "http" } });
  });
});
