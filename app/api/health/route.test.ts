import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { HealthOverview, ImageHealthDetail } from "@/lib/health/queries";
import { DEPLOY_HOST_KEY } from "@/lib/health/settings";
import { useAppDatabase, type AppDatabase } from "@/lib/testing/app-database";

let overview: typeof import("@/app/api/health/route").GET;
let detail: typeof import("@/app/api/health/[name]/route").GET;
let prisma: PrismaClient;
let app: AppDatabase;
let reader = "";

beforeAll(async () => {
  app = await useAppDatabase("health-route");
  ({ prisma, reader } = app);
  ({ GET: overview } = await import("@/app/api/health/route"));
  ({ GET: detail } = await import("@/app/api/health/[name]/route"));
});

afterAll(async () => app.restore());

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
