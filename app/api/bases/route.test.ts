import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createToken } from "@/lib/tokens/tokens";
import type { BasesView } from "@/lib/views/bases";
import { useAppDatabase, type AppDatabase } from "@/lib/testing/app-database";
import { FIXTURE_ROOT, hasLucidFixtures, SMALL_CHECKOUT } from "@/lib/testing/lucid-fixtures";

// The checkout's Dockerfiles name public bases (gcr.io, Docker Hub): these tests read what is stored and check the
// refusals; they never run a check, which would ask those registries. Checks run against loopback in
// lib/supply-chain/plan.test.ts and e2e/05-supply-chain.spec.ts.

let app: AppDatabase;
let prisma: PrismaClient;
let GET: typeof import("@/app/api/bases/route").GET;
let CHECK: typeof import("@/app/api/bases/check/route").POST;
let REBUILD: typeof import("@/app/api/bases/rebuild/route").POST;

beforeAll(async () => {
  app = await useAppDatabase("bases-route", { LUCID_REPO_ROOT: hasLucidFixtures ? FIXTURE_ROOT : SMALL_CHECKOUT });
  prisma = app.prisma;
  ({ GET } = await import("@/app/api/bases/route"));
  ({ POST: CHECK } = await import("@/app/api/bases/check/route"));
  ({ POST: REBUILD } = await import("@/app/api/bases/rebuild/route"));
});

afterAll(async () => app.restore());

describe("GET /api/bases", () => {
  it("lists every base the Dockerfiles name, unchecked, with no image judged current", async () => {
    const response = await GET(new Request("http://localhost/api/bases", { headers: { authorization: `Bearer ${app.reader}` } }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as BasesView;
    expect(body.bases.length).toBeGreaterThan(0);
    expect(body.lastCheckedAt).toBeNull();
    expect(body.needRebuild).toEqual([]);
    for (const base of body.bases.filter((b) => b.planImage === null)) {
      expect(base).toMatchObject({ digest: null, checkedAt: null, stale: 0 });
      // Nothing was checked: no image is "current" (unknown, or no pushed build to compare).
      expect(base.images.every((i) => i.state === "unknown")).toBe(true);
    }
    if (hasLucidFixtures) {
      const python = body.bases.find((b) => b.reference === "gcr.io/distroless/python3-debian12:latest");
      expect(python?.images.length).toBeGreaterThanOrEqual(10);
      // 9 of the plan's Dockerfiles are not in the checkout, and one is refused by BuildKit's rules.
      expect(body.unread).toHaveLength(10);
    }
  });

  it("answers 401 without a session or token", async () => {
    expect((await GET(new Request("http://localhost/api/bases"))).status).toBe(401);
  });
});

describe("POST /api/bases/check and /rebuild", () => {
  it("are refused to a token without builds:run, and nothing is asked or queued", async () => {
    const writer = (await createToken(prisma, "bases-writer", ["builds:write"])).token;
    const before = await prisma.build.count();
    for (const post of [CHECK, REBUILD]) {
      const response = await post(new Request("http://localhost/api/bases/check", { method: "POST", headers: { authorization: `Bearer ${writer}` } }));
      expect(response.status).toBe(403);
    }
    expect(await prisma.baseImage.count()).toBe(0);
    expect(await prisma.build.count()).toBe(before);
  });

  it("queues nothing when no image is behind its bases", async () => {
    const runner = (await createToken(prisma, "bases-runner", ["builds:run"])).token;
    const response = await REBUILD(new Request("http://localhost/api/bases/rebuild", { method: "POST", headers: { authorization: `Bearer ${runner}` } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ queued: [], skipped: [] });
  });
});
