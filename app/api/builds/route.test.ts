import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations } from "@/lib/db/migrations";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getPlanOverview } from "@/lib/views/overview";
import { seedDefaults } from "@/lib/plan/seed";
import { createToken, revokeToken } from "@/lib/tokens/tokens";

type RouteModule = typeof import("@/app/api/builds/route");

let POST: RouteModule["POST"];
let prisma: PrismaClient;
let dir: string;
const savedUrl = process.env.DATABASE_URL;
const tokens = { writer: "", reader: "", revoked: "" };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lucid-route-"));
  const databaseUrl = `file:${path.join(dir, "route.db")}`;
  await deployMigrations({ databaseUrl });
  // lib/db/client.ts opens its client on import (kept on globalThis), so point it at the temp database first.
  process.env.DATABASE_URL = databaseUrl;
  delete (globalThis as { lucidPrisma?: unknown }).lucidPrisma;
  ({ POST } = await import("@/app/api/builds/route"));
  ({ prisma } = await import("@/lib/db/client"));

  await seedDefaults(prisma);
  tokens.writer = (await createToken(prisma, "ci")).token;
  tokens.reader = (await createToken(prisma, "reader", ["plan:read"])).token;
  tokens.revoked = (await createToken(prisma, "old")).token;
  await revokeToken(prisma, "old");
});

afterAll(async () => {
  await prisma.$disconnect();
  delete (globalThis as { lucidPrisma?: unknown }).lucidPrisma;
  process.env.DATABASE_URL = savedUrl;
  await rm(dir, { recursive: true, force: true });
});

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

function validReport(overrides: Record<string, unknown> = {}) {
  const finishedAt = new Date(Date.now() - 60_000);
  return {
    image: "lucid-mongodb",
    status: "succeeded",
    startedAt: new Date(finishedAt.getTime() - 750_000).toISOString(),
    finishedAt: finishedAt.toISOString(),
    ...overrides,
  };
}

function request(body: BodyInit | null, headers: Record<string, string> = { authorization: `Bearer ${tokens.writer}` }): Request {
  return new Request("http://localhost/api/builds", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

const postJson = (value: unknown, headers?: Record<string, string>) => POST(request(JSON.stringify(value), headers));

async function tables() {
  return {
    builds: await prisma.build.findMany({ orderBy: { id: "asc" } }),
    platforms: await prisma.buildPlatform.findMany({ orderBy: { id: "asc" } }),
  };
}

async function imageState(name: string) {
  const overview = await getPlanOverview(prisma);
  return overview.phases.flatMap((p) => p.images).find((i) => i.name === name)!.state;
}

describe("POST /api/builds", () => {
  it("records a valid report: 201, the build exists, and a pushed success makes the image pushed", async () => {
    expect(await imageState("lucid-mongodb")).toBe("not_built");
    const completedBefore = (await getPlanOverview(prisma)).totals.completed;

    const response = await postJson(
      validReport({ pushed: true, sizes: { "linux/arm64": 120_000_000 }, metadata: { "containerimage.digest": DIGEST, "image.name": "pickme/lucid-mongodb:latest-arm64" } }),
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: number; url: string };
    expect(body).toEqual({ id: expect.any(Number), image: "lucid-mongodb", status: "succeeded", pushed: true, url: `/builds/${body.id}` });
    expect(response.headers.get("location")).toBe(body.url);

    const build = await prisma.build.findUniqueOrThrow({ where: { id: body.id }, include: { sizes: true } });
    expect(build).toMatchObject({ source: "api", startedBy: "token ci", digest: DIGEST, tags: ["pickme/lucid-mongodb:latest-arm64"], durationMs: 750_000 });
    expect(build.sizes).toMatchObject([{ platform: "linux/arm64", compressedBytes: 120_000_000 }]);
    expect(await imageState("lucid-mongodb")).toBe("pushed");
    expect((await getPlanOverview(prisma)).totals.completed).toBe(completedBefore + 1);
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { name: "ci" } })).lastUsedAt).not.toBeNull();
  });

  it("answers a retry with the same Idempotency-Key and body with the first result, and records one build", async () => {
    const body = JSON.stringify(validReport({ image: "lucid-redis", status: "failed", exitCode: 2 }));
    const key = { authorization: `Bearer ${tokens.writer}`, "idempotency-key": "retry-7f3a" };
    const before = await prisma.build.count();
    const first = await POST(request(body, key));
    expect(first.status).toBe(201);
    const recorded = await first.json();
    const again = await POST(request(body, key));
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(recorded);
    // Retries that arrive together still make one record.
    const together = await Promise.all([1, 2, 3].map(() => POST(request(body, { ...key, "idempotency-key": "retry-burst" }))));
    const ids = new Set(await Promise.all(together.map(async (r) => ((await r.json()) as { id: number }).id)));
    expect(ids.size).toBe(1);
    expect(await prisma.build.count()).toBe(before + 2);

    // The same key with another body is a mistake, not a retry: refused, nothing written.
    const other = await POST(request(JSON.stringify(validReport({ image: "lucid-redis" })), key));
    expect(other.status).toBe(422);
    expect(((await other.json()) as { error: string }).error).toMatch(/already used for build \d+ with a different body/);
    const bad = await POST(request(body, { ...key, "idempotency-key": "has space" }));
    expect(bad.status).toBe(422);
    expect(await prisma.build.count()).toBe(before + 2);
  });

  it("records a success without push as built, and a later failure as failed", async () => {
    await postJson(validReport({ image: "lucid-redis" }));
    expect(await imageState("lucid-redis")).toBe("built");
    const response = await postJson(validReport({ image: "lucid-redis", status: "failed", exitCode: 1, failureReason: "ERROR: failed to solve" }));
    expect(response.status).toBe(201);
    expect(await imageState("lucid-redis")).toBe("failed");
  });

  const oversized = JSON.stringify(validReport({ argv: ["x".repeat(300 * 1024)] }));

  it.each<[string, () => Request, number, string | RegExp]>([
    ["no token", () => request(JSON.stringify(validReport()), {}), 401, "not signed in and no Authorization header: send Authorization: Bearer <token>"],
    ["a Basic header", () => request(JSON.stringify(validReport()), { authorization: "Basic dXNlcjpwYXNz" }), 401, "the Authorization header must be: Bearer <token>"],
    ["a revoked token", () => request(JSON.stringify(validReport()), { authorization: `Bearer ${tokens.revoked}` }), 401, "invalid or revoked token"],
    ["an unknown token", () => request(JSON.stringify(validReport()), { authorization: `Bearer lucid_${"x".repeat(43)}` }), 401, "invalid or revoked token"],
    ["a token without builds:write", () => request(JSON.stringify(validReport()), { authorization: `Bearer ${tokens.reader}` }), 403, 'token "reader" lacks the builds:write scope'],
    ["malformed JSON", () => request('{"image": "lucid-mongodb",'), 400, /^malformed JSON: /],
    ["an empty body", () => request(""), 400, "malformed JSON: the body is empty"],
    ["a body that is not UTF-8", () => request(new Uint8Array([0x7b, 0xff, 0x7d])), 400, "malformed JSON: the body is not valid UTF-8"],
    ["a 300 KiB body", () => request(oversized), 413, "request body is larger than 256 KiB"],
    ["a 300 KiB body that claims to be small", () => request(oversized, { authorization: `Bearer ${tokens.writer}`, "content-length": "100" }), 413, "request body is larger than 256 KiB"],
    ["an unknown image", () => request(JSON.stringify(validReport({ image: "lucid-nope" }))), 404, 'unknown image "lucid-nope": the build plan has no image of that name'],
    ["finish before start", () => request(JSON.stringify(validReport({ startedAt: "2026-11-27T10:00:00Z", finishedAt: "2026-11-27T09:00:00Z" }))), 422, "finishedAt is before startedAt"],
    ["an unknown status", () => request(JSON.stringify(validReport({ status: "done" }))), 422, 'status: must be one of succeeded, failed, cancelled; got "done"'],
    ["status running", () => request(JSON.stringify(validReport({ status: "running" }))), 422, /^status: only finished builds can be reported .*not "running"/],
    ["a bad digest in metadata", () => request(JSON.stringify(validReport({ metadata: { "containerimage.digest": "sha256:xyz" } }))), 422, 'metadata["containerimage.digest"]: must be sha256: followed by 64 lowercase hex digits'],
    ["an unknown key", () => request(JSON.stringify(validReport({ colour: "green" }))), 422, /^colour: unknown field/],
    ["a bad platform key in sizes", () => request(JSON.stringify(validReport({ sizes: { arm64: 5 } }))), 422, 'sizes.arm64: the key must be os/arch or os/arch/variant, e.g. linux/arm64'],
    ["pushed with failed", () => request(JSON.stringify(validReport({ status: "failed", pushed: true }))), 422, "pushed: only a succeeded build can be pushed, and this one failed"],
  ])("refuses %s with a JSON error and writes nothing", async (_label, makeRequest, status, message) => {
    const before = await tables();
    const response = await POST(makeRequest());
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: string };
    expect(Object.keys(body)).toEqual(["error"]);
    if (typeof message === "string") expect(body.error).toBe(message);
    else expect(body.error).toMatch(message);
    for (const secret of Object.values(tokens)) expect(body.error).not.toContain(secret.slice(6));
    expect(await tables()).toEqual(before);
  });

  it("asks for a bearer token on 401", async () => {
    const response = await POST(request(JSON.stringify(validReport()), {}));
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="lucid"');
  });

  it("answers 413 from an honest Content-Length without reading the body", async () => {
    let pulled = false;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new Uint8Array(1024));
        },
      },
      { highWaterMark: 0 }, // nothing is pulled until someone reads
    );
    const response = await POST(request(stream, { authorization: `Bearer ${tokens.writer}`, "content-length": String(300 * 1024) }));
    expect(response.status).toBe(413);
    expect(pulled).toBe(false);
  });

  it("accepts a body of just under 256 KiB", async () => {
    const item = "y".repeat(4096); // each costs 4099 bytes in the JSON list: quotes and a comma
    const base = JSON.stringify(validReport({ image: "lucid-elasticsearch", argv: [] }));
    const argv = Array.from({ length: Math.floor((256 * 1024 - base.length) / 4099) }, () => item);
    const body = JSON.stringify(validReport({ image: "lucid-elasticsearch", argv }));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(256 * 1024);
    expect(Buffer.byteLength(body)).toBeGreaterThan(252 * 1024);
    expect((await POST(request(body))).status).toBe(201);
  });
});
