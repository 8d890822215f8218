import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useAppDatabase, type AppDatabase } from "@/lib/testing/app-database";
import { createToken } from "@/lib/tokens/tokens";
import type { DeploymentView } from "@/lib/views/deployment";

type RouteModule = typeof import("@/app/api/deployments/route");

let GET: RouteModule["GET"];
let POST: RouteModule["POST"];
let prisma: PrismaClient;
let app: AppDatabase;
let reader = "";

const COMPOSE = [
  "services:",
  "  session-api:",
  "    image: pickme/lucid-session-api:20261130-120000",
  "    ports: ['8113:8113']",
  "    healthcheck:",
  "      test: [CMD, python, -c, \"urlopen('http://session-api:8113/health')\"]",
  "  gateway:",
  "    image: pickme/lucid-api-gateway:latest-arm64",
  "    ports: ['8080:8080']",
  "  tor-proxy:",
  "    image: dperson/torproxy",
  "    ports: ['8080:9050']",
].join("\n");

beforeAll(async () => {
  app = await useAppDatabase("deployments-route", { LUCID_REPO_ROOT: (dir) => path.join(dir, "checkout"), LUCID_COMPOSE_FILES: "deploy/compose.yml" });
  ({ prisma, reader } = app);
  await mkdir(path.join(app.dir, "checkout/deploy"), { recursive: true });
  await writeFile(path.join(app.dir, "checkout/deploy/compose.yml"), COMPOSE);
  await writeFile(path.join(app.dir, "checkout/deploy/broken.yml"), "services:\n  a:\n    image: x\n    ports: ['${PORT:8801}:8801']\n");
  ({ GET, POST } = await import("@/app/api/deployments/route"));
});

afterAll(async () => app.restore());

const get = async (headers: Record<string, string> = { authorization: `Bearer ${reader}` }) => GET(new Request("http://localhost/api/deployments", { headers }));

describe("GET /api/deployments", () => {
  it("answers the declared deployment: services with their plan image and health probe, conflicts, images no service runs", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Extract<DeploymentView, { readable: true }>;
    expect(body).toMatchObject({ configured: true, source: "environment", readable: true, files: ["deploy/compose.yml"] });
    const api = body.services.find((s) => s.name === "session-api")!;
    expect(api).toMatchObject({ planImage: "lucid-session-api", tag: "20261130-120000", file: "deploy/compose.yml", line: 2, health: { port: 8113, path: "/health", from: "healthcheck", line: 5 } });
    expect(body.conflicts).toEqual([{ port: 8080, protocol: "tcp", services: ["gateway", "tor-proxy"] }]);
    expect(body.services.find((s) => s.name === "gateway")!.health.port).toBeNull();
    expect(body.otherServices).toEqual(["tor-proxy"]);
    expect(body.notDeployed).toContain("lucid-auth-service");
  });

  it("says where the files are broken, and that nothing of them is used", async () => {
    process.env.LUCID_COMPOSE_FILES = "deploy/compose.yml,deploy/broken.yml";
    try {
      const body = (await (await get()).json()) as Extract<DeploymentView, { readable: false }>;
      expect(body.readable).toBe(false);
      expect(body.problems).toEqual([expect.objectContaining({ file: "deploy/broken.yml", line: 4, excerpt: "ports: ['${PORT:8801}:8801']" })]);
      expect("services" in body).toBe(false);
    } finally {
      process.env.LUCID_COMPOSE_FILES = "deploy/compose.yml";
    }
  });

  it("needs a session or a token to read", async () => {
    expect((await get({})).status).toBe(401);
  });
});

describe("POST /api/deployments", () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const report = (imageDigest: string) =>
    [
      JSON.stringify({ Service: "session-api", Name: "session-api", Project: "lucid", Image: "pickme/lucid-session-api:latest-arm64", State: "running", Health: "healthy", Status: "Up 2 days (healthy)" }),
      JSON.stringify({ Service: "tor-proxy", Name: "tor-proxy", Project: "lucid", Image: "dperson/torproxy", State: "running", Health: "", Status: "Up 2 days" }),
      JSON.stringify([{ ID: digest("c"), ContainerName: "session-api", Repository: "pickme/lucid-session-api", Tag: "latest-arm64" }]),
      JSON.stringify([{ Id: digest("c"), RepoDigests: [`pickme/lucid-session-api@${imageDigest}`] }]),
    ].join("\n");
  const post = (body: string, token: string) => POST(new Request("http://localhost/api/deployments", { method: "POST", headers: { authorization: `Bearer ${token}` }, body }));
  let writer = "";

  beforeAll(async () => {
    writer = (await createToken(prisma, "pi", ["deployments:write"])).token;
    const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    for (const [d, days] of [["1", 3], ["2", 1]] as const) {
      await prisma.build.create({
        data: { imageId: image.id, status: "succeeded", source: "api", tags: [], platforms: ["linux/arm64"], pushed: true, digest: digest(d), finishedAt: new Date(Date.UTC(2026, 10, 30) - days * 86_400_000) },
      });
    }
  });

  it("stores what the Pi runs and shows how far each plan image is from its latest push", async () => {
    const response = await post(report(digest("1")), writer);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ containers: 2, running: 2, changed: true });
    const { running } = (await (await get()).json()) as { running: import("@/lib/views/running").RunningView };
    const api = running.containers.find((c) => c.service === "session-api")!;
    expect(api).toMatchObject({ planImage: "lucid-session-api", state: "running", health: "healthy", drift: { status: "behind", buildsBehind: 1, behindMs: 2 * 86_400_000 } });
    expect(running.containers.find((c) => c.service === "tor-proxy")).toMatchObject({ planImage: null, drift: null });

    await post(report(digest("2")), writer);
    const after = (await (await get()).json()) as { running: import("@/lib/views/running").RunningView };
    expect(after.running.containers.find((c) => c.service === "session-api")!.drift).toMatchObject({ status: "up_to_date" });
  });

  it("knows an image by its config digest too (a classic store's image ID, with no repository digest)", async () => {
    const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    const build = await prisma.build.create({
      data: { imageId: image.id, status: "succeeded", source: "dashboard", tags: [], platforms: ["linux/arm64"], pushed: true, digest: digest("3"), finishedAt: new Date(Date.UTC(2026, 10, 30)), sizes: { create: [{ platform: "linux/arm64", digest: digest("4"), configDigest: digest("c") }] } },
    });
    const body = [
      JSON.stringify({ Service: "session-api", Name: "session-api", Image: "pickme/lucid-session-api:latest-arm64", State: "running", Status: "Up" }),
      JSON.stringify([{ ID: digest("c"), ContainerName: "session-api" }]),
    ].join("\n");
    expect((await post(body, writer)).status).toBe(201);
    const { running } = (await (await get()).json()) as { running: import("@/lib/views/running").RunningView };
    expect(running.containers[0]!.drift).toEqual({ status: "up_to_date", runningBuild: build.id, latestBuild: build.id });
  });

  it("refuses a malformed report and keeps the last one, and a token without the scope", async () => {
    const before = await prisma.runningContainer.findMany({ orderBy: { id: "asc" } });
    const bad = await post('{"hello": 1}', writer);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toContain("malformed report: item 1: not a container or image Docker describes");
    expect(await prisma.runningContainer.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect((await post(report(digest("1")), reader)).status).toBe(403);
  });
});
