import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ImageCompliance, PlanCompliance } from "@/lib/compliance/types";
import { useAppDatabase, type AppDatabase } from "@/lib/testing/app-database";
import { FIXTURE_ROOT, hasLucidFixtures, SMALL_CHECKOUT } from "@/lib/testing/lucid-fixtures";

type RouteModule = typeof import("@/app/api/compliance/route");

let GET: RouteModule["GET"];
let prisma: PrismaClient;
let app: AppDatabase;
let reader = "";

beforeAll(async () => {
  // The real Lucid checkout where present, else the small one written here.
  app = await useAppDatabase("compliance-route", { LUCID_REPO_ROOT: hasLucidFixtures ? FIXTURE_ROOT : SMALL_CHECKOUT });
  ({ prisma, reader } = app);
  ({ GET } = await import("@/app/api/compliance/route"));
});

afterAll(async () => app.restore());

const get = (query = "", headers: Record<string, string> = { authorization: `Bearer ${reader}` }) =>
  GET(new Request(`http://localhost/api/compliance${query}`, { headers }));

describe("GET /api/compliance", () => {
  it("answers the plan's compliance with totals", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    const body = (await response.json()) as PlanCompliance;
    expect(body.images).toHaveLength(35);
    // 26 real Dockerfiles, one of which BuildKit refuses (the recorder's bare COPY): 25 analysed.
    if (hasLucidFixtures) expect(body.totals).toMatchObject({ images: 35, analysed: 71, distroless: 68 });
    else expect(body.totals).toMatchObject({ images: 35, counts: { analysed: 3, distroless: 2 } });
  });

  it("answers one image's findings", async () => {
    const response = await get("?image=lucid-session-api");
    expect(response.status).toBe(200);
    const body = (await response.json()) as ImageCompliance;
    expect(body.name).toBe("lucid-session-api");
    expect(body.findings.find((f) => f.rule === "port-matches-plan")).toMatchObject({ status: "fail", line: hasLucidFixtures ? 158 : 15 });
  });

  it("refuses a caller without a session or token (401) and an unknown token", async () => {
    const anonymous = await get("", {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="lucid"');
    expect((await get("", { authorization: `Bearer lucid_${"x".repeat(43)}` })).status).toBe(401);
  });

  it("refuses an invalid name with 400 and an unknown one with 404", async () => {
    const invalid = await get("?image=../etc");
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ error: 'invalid image name "../etc"' });
    expect((await get("?image=")).status).toBe(400);
    const unknown = await get("?image=lucid-nope");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'unknown image "lucid-nope"' });
  });
});
