import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IngestError, ingestBuild, type BuildReportInput } from "@/lib/builds/ingest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
});
afterAll(async () => cleanup());

const NOW = new Date("2026-11-27T12:00:00Z");
const DIGEST = `sha256:${"ab".repeat(32)}`;

const report = (overrides: Record<string, unknown> = {}): BuildReportInput =>
  ({
    image: "lucid-session-api",
    status: "succeeded",
    startedAt: "2026-11-27T10:00:00Z",
    finishedAt: "2026-11-27T10:12:30Z",
    ...overrides,
  }) as BuildReportInput;

const ingest = (body: unknown) => ingestBuild(prisma, body, "token ci", NOW);

async function tables() {
  return {
    builds: await prisma.build.findMany({ orderBy: { id: "asc" } }),
    platforms: await prisma.buildPlatform.findMany({ orderBy: { id: "asc" } }),
  };
}

/** Expects the report to be refused with this status and message, with nothing written. */
async function expectRefused(body: unknown, status: number, message: string | RegExp) {
  const before = await tables();
  const error = await ingest(body).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IngestError);
  expect((error as IngestError).status).toBe(status);
  if (typeof message === "string") expect((error as IngestError).message).toBe(message);
  else expect((error as IngestError).message).toMatch(message);
  expect(await tables()).toEqual(before);
}

describe("ingestBuild: what is recorded", () => {
  let buildsBefore: number;
  beforeEach(async () => {
    buildsBefore = await prisma.build.count();
  });

  it("records a full report as an api build with its timings, sizes and command", async () => {
    const argv = ["docker", "buildx", "build", "--platform", "linux/arm64,linux/amd64", "--push", "sessions"];
    const result = await ingest(
      report({
        pushed: true,
        tags: ["pickme/lucid-session-api:latest-arm64"],
        platforms: ["linux/arm64", "linux/amd64"],
        sizes: { "linux/arm64": 54_300_000, "linux/amd64": 55_100_000 },
        digest: DIGEST,
        exitCode: 0,
        builder: "docker buildx (ci)",
        argv,
        startedBy: "ci job 42",
      }),
    );
    expect(result).toEqual({ id: expect.any(Number), image: "lucid-session-api", status: "succeeded", pushed: true, replayed: false });

    const build = await prisma.build.findUniqueOrThrow({ where: { id: result.id }, include: { sizes: { orderBy: { platform: "asc" } } } });
    expect(build).toMatchObject({
      status: "succeeded",
      source: "api",
      startedBy: "ci job 42",
      queuedAt: new Date("2026-11-27T10:00:00Z"),
      startedAt: new Date("2026-11-27T10:00:00Z"),
      finishedAt: new Date("2026-11-27T10:12:30Z"),
      durationMs: 750_000,
      exitCode: 0,
      builder: "docker buildx (ci)",
      argv,
      tags: ["pickme/lucid-session-api:latest-arm64"],
      platforms: ["linux/arm64", "linux/amd64"],
      pushed: true,
      digest: DIGEST,
      failureReason: null,
      evidence: null,
    });
    expect(build.sizes.map((s) => [s.platform, s.compressedBytes])).toEqual([
      ["linux/amd64", 55_100_000],
      ["linux/arm64", 54_300_000],
    ]);
    expect(await prisma.build.count()).toBe(buildsBefore + 1);
  });

  it("fills defaults: not pushed, the plan's platforms, startedBy from the reporter, no sizes", async () => {
    const result = await ingest(report({ image: "lucid-mongodb", startedAt: "2026-11-27T11:00:00+01:00", finishedAt: "2026-11-27T10:01:00Z" }));
    expect(result.pushed).toBe(false);
    const build = await prisma.build.findUniqueOrThrow({ where: { id: result.id }, include: { sizes: true, image: true } });
    expect(build.image.platforms).toEqual(["linux/arm64", "linux/amd64"]);
    expect(build).toMatchObject({
      startedBy: "token ci",
      platforms: build.image.platforms,
      tags: [],
      digest: null,
      argv: null,
      durationMs: 60_000,
      sizes: [],
    });
  });

  it("takes the digest and tags from buildx metadata and ignores its other keys", async () => {
    const metadata = {
      "buildx.build.ref": "builder/builder0/abc",
      "buildx.build.provenance": { buildType: "https://mobyproject.org/buildkit@v1" },
      "containerimage.descriptor": { size: 1609 },
      "containerimage.digest": DIGEST,
      "image.name": "docker.io/pickme/lucid-session-api:latest-arm64, docker.io/pickme/lucid-session-api:latest-20261127",
    };
    const result = await ingest(report({ metadata }));
    const build = await prisma.build.findUniqueOrThrow({ where: { id: result.id } });
    expect(build.digest).toBe(DIGEST);
    expect(build.tags).toEqual(["docker.io/pickme/lucid-session-api:latest-arm64", "docker.io/pickme/lucid-session-api:latest-20261127"]);
  });

  it("prefers explicit tags over metadata, and keeps a failure reason on one line", async () => {
    const result = await ingest(
      report({
        status: "failed",
        exitCode: 1,
        tags: ["pickme/x:1"],
        metadata: { "image.name": "docker.io/pickme/other:2" },
        failureReason: "ERROR: failed to solve:\n  process \"/bin/sh -c pip install\"\r\n  did not complete",
      }),
    );
    const build = await prisma.build.findUniqueOrThrow({ where: { id: result.id } });
    expect(build).toMatchObject({
      status: "failed",
      pushed: false,
      tags: ["pickme/x:1"],
      failureReason: 'ERROR: failed to solve: process "/bin/sh -c pip install" did not complete',
    });
  });

  it("accepts cancelled builds and a finish up to 5 minutes ahead of the server clock", async () => {
    const result = await ingest(report({ status: "cancelled", startedAt: "2026-11-27T11:50:00Z", finishedAt: "2026-11-27T12:04:59Z" }));
    expect(result.status).toBe("cancelled");
  });
});

describe("ingestBuild: what is refused, writing nothing", () => {
  it.each<[string, unknown, number, string | RegExp]>([
    ["a body that is not an object", ["lucid-session-api"], 422, "the body must be an object, got a list"],
    ["null", null, 422, "the body must be an object, got null"],
    ["an unknown image", report({ image: "lucid-nope" }), 404, 'unknown image "lucid-nope": the build plan has no image of that name'],
    ["a missing image", report({ image: undefined }), 422, "image: is required"],
    ["a missing startedAt", report({ startedAt: undefined }), 422, "startedAt: is required"],
    ["a time without a zone", report({ startedAt: "2026-11-27T10:00:00" }), 422, "startedAt: must be an ISO 8601 date-time with a time zone, e.g. 2026-11-27T10:00:00Z"],
    ["a date only", report({ finishedAt: "2026-11-27" }), 422, /^finishedAt: must be an ISO 8601 date-time/],
    ["finish before start", report({ finishedAt: "2026-11-27T09:59:59Z" }), 422, "finishedAt is before startedAt"],
    ["a finish far in the future", report({ finishedAt: "2026-11-27T12:05:01Z" }), 422, "finishedAt is more than 5 minutes in the future (server time is 2026-11-27T12:00:00.000Z)"],
    ["a build of more than a week", report({ startedAt: "2026-11-01T10:00:00Z" }), 422, "finishedAt is more than 7 days after startedAt"],
    ["status running", report({ status: "running" }), 422, /^status: only finished builds can be reported \(succeeded, failed, cancelled\), not "running"/],
    ["status queued", report({ status: "queued" }), 422, /^status: only finished builds can be reported/],
    ["an unknown status", report({ status: "done" }), 422, 'status: must be one of succeeded, failed, cancelled; got "done"'],
    ["status interrupted", report({ status: "interrupted" }), 422, 'status: must be one of succeeded, failed, cancelled; got "interrupted"'],
    ["a missing status", report({ status: undefined }), 422, "status: is required"],
    ["pushed with failed", report({ status: "failed", pushed: true }), 422, "pushed: only a succeeded build can be pushed, and this one failed"],
    ["pushed as a string", report({ pushed: "yes" }), 422, "pushed: must be a boolean, got string"],
    ["an unknown key", report({ color: "green" }), 422, /^color: unknown field \(known fields: image, status, startedAt, /],
    ["a bad platform key in sizes", report({ sizes: { "linux-arm64": 1 } }), 422, 'sizes["linux-arm64"]: the key must be os/arch or os/arch/variant, e.g. linux/arm64'],
    ["a negative size", report({ sizes: { "linux/arm64": -1 } }), 422, /^sizes\["linux\/arm64"\]: Too small/],
    ["a fractional size", report({ sizes: { "linux/arm64": 1.5 } }), 422, 'sizes["linux/arm64"]: must be an integer, got number'],
    ["a size for a platform not built", report({ platforms: ["linux/arm64"], sizes: { "linux/amd64": 1 } }), 422, 'sizes["linux/amd64"]: linux/amd64 is not among the build\'s platforms (linux/arm64)'],
    ["a bad platform", report({ platforms: ["arm64"] }), 422, "platforms[0]: must be os/arch or os/arch/variant, e.g. linux/arm64"],
    ["an empty platform list", report({ platforms: [] }), 422, /^platforms: Too small/],
    ["a bad digest", report({ digest: "sha256:abc" }), 422, "digest: must be sha256: followed by 64 lowercase hex digits"],
    ["a bad digest in metadata", report({ metadata: { "containerimage.digest": "md5:0123" } }), 422, 'metadata["containerimage.digest"]: must be sha256: followed by 64 lowercase hex digits'],
    ["digests that disagree", report({ digest: DIGEST, metadata: { "containerimage.digest": `sha256:${"cd".repeat(32)}` } }), 422, 'digest: differs from metadata["containerimage.digest"]'],
    ["a tag with a space", report({ tags: ["a b"] }), 422, "tags[0]: must not contain spaces"],
    ["a failure reason over 500 characters", report({ status: "failed", failureReason: "x".repeat(501) }), 422, /^failureReason: Too big/],
    ["a multi-line builder", report({ builder: "a\nb" }), 422, "builder: must be one line, without control characters"],
    ["a succeeded build with a non-zero exit code", report({ exitCode: 2 }), 422, "exitCode: a succeeded build exits with 0, not 2"],
    ["a failed build with exit code 0", report({ status: "failed", exitCode: 0 }), 422, "exitCode: a failed build cannot exit with 0"],
    ["an argv of non-strings", report({ argv: ["docker", 1] }), 422, "argv[1]: must be a string, got number"],
  ])("%s", async (_label, body, status, message) => {
    await expectRefused(body, status, message);
  });

  it("names every problem at once, each as field: problem", async () => {
    const body = { image: "lucid-session-api", status: "running", startedAt: "yesterday", extra: 1 };
    await expectRefused(body, 422, /.*/);
    const error = (await ingest(body).catch((e: unknown) => e)) as IngestError;
    expect(error.message.split("; ").map((problem) => problem.split(":")[0])).toEqual(["status", "startedAt", "finishedAt", "extra"]);
  });

  it("cuts a long quoted value short", async () => {
    await expectRefused(report({ status: "x".repeat(10_000) }), 422, /^status: must be one of succeeded, failed, cancelled; got "x{56}\.\.\.$/);
  });
});
