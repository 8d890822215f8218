import { mkdtemp, rm, utimes, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysisCacheSize, clearAnalysisCache } from "@/lib/compliance/cache";
import { FIXTURE_ROOT, hasLucidFixtures, SMALL_CHECKOUT } from "@/lib/testing/lucid-fixtures";
import { analyseImage, imageCompliance, planCompliance } from "@/lib/views/compliance";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";

const env = { LUCID_REPO_ROOT: FIXTURE_ROOT };
let prisma: PrismaClient;
let cleanup: () => Promise<void>;

async function pushedBuild(image: string, platforms: [string, { user: string | null; healthcheck: string[] | null; exposedPorts: string[] }][]) {
  const { id: imageId } = await prisma.image.findUniqueOrThrow({ where: { name: image } });
  await prisma.build.create({
    data: {
      imageId,
      status: "succeeded",
      source: "dashboard",
      pushed: true,
      tags: [],
      platforms: platforms.map(([p]) => p),
      sizes: { create: platforms.map(([platform, config]) => ({ platform, compressedBytes: 1000, config })) },
    },
  });
}

beforeAll(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
  await pushedBuild("lucid-redis", [
    ["linux/amd64", { user: "65532:65532", healthcheck: ["CMD", "/usr/bin/python3", "-c", "..."], exposedPorts: ["6379/tcp"] }],
    ["linux/arm64/v8", { user: "65532:65532", healthcheck: ["CMD", "/usr/bin/python3", "-c", "..."], exposedPorts: ["6379/tcp"] }],
  ]);
  await pushedBuild("lucid-mongodb", [["linux/amd64", { user: "", healthcheck: null, exposedPorts: [] }]]);
});

afterAll(async () => {
  await cleanup();
});

describe.skipIf(!hasLucidFixtures)("planCompliance on the fixture checkout", () => {
  it("covers all 35 images in plan order, with the 9 missing Dockerfiles failing dockerfile-present", async () => {
    const plan = await planCompliance(prisma, { env });
    expect(plan.images).toHaveLength(35);
    expect(plan.images[0]!.name).toBe("lucid-base-python-distroless");
    expect(plan.images.at(-1)!.name).toBe("lucid-storage");
    expect(plan.note).toBeNull();
    const gateway = plan.images.find((i) => i.name === "lucid-api-gateway")!;
    expect(gateway.status).toBe("fail");
    expect(gateway.findings[0]).toMatchObject({ rule: "dockerfile-present", status: "fail", severity: "error" });
    expect(gateway.findings[0]!.message).toContain("03-api-gateway/Dockerfile does not exist in the checkout");
    expect(gateway.findings.filter((f) => f.source === "dockerfile").slice(1).every((f) => f.status === "n/a")).toBe(true);
  });

  it("measures the plan against all 35 images", async () => {
    const { totals } = await planCompliance(prisma, { env });
    // 26 Dockerfiles, of which BuildKit refuses the recorder's (a bare COPY at line 180), so 25 analysed; xrdp is
    // not distroless; the GUI runs as distroless :latest's root, and mongodb's pushed image runs as root with no
    // health check; rdp runs as lucid:lucid; five Dockerfiles have no health check and the VM's cannot fail;
    // nothing is pinned by digest. No Compose files are configured here: the compose measures count nothing, and no
    // registry was read: the supply-chain measures count nothing either, and are "not checked".
    expect(totals.counts).toEqual({
      analysed: 25, distroless: 24, nonRoot: 23, expectedUser: 22, healthcheck: 18, pinned: 0, readOnly: 0, capabilities: 0, network: 0, attested: 0, signed: 0, baseFresh: 0, noFixableCriticalHigh: 0,
    });
    expect(totals.checked.registry).toBe(false);
    expect(totals).toMatchObject({ images: 35, analysed: 71, distroless: 68, nonRoot: 65, expectedUser: 62, healthcheck: 51, pinned: 0 });
  });

  it("judges how the Compose files run each image, citing file and line, and says why where it cannot", async () => {
    const files = "build/docker-compose.session-images.yml";
    const plan = await planCompliance(prisma, { env: { ...env, LUCID_COMPOSE_FILES: files } });
    const api = plan.images.find((i) => i.name === "lucid-session-api")!.findings.filter((f) => f.source === "compose");
    expect(api.find((f) => f.rule === "compose-read-only")).toMatchObject({ status: "fail", file: files, line: 154, excerpt: "session-api:" });
    expect(api.find((f) => f.rule === "compose-platform")).toMatchObject({ status: "pass", file: files, line: 157, excerpt: "platform: linux/arm64" });
    const auth = plan.images.find((i) => i.name === "lucid-auth-service")!.findings.filter((f) => f.source === "compose");
    expect(auth.every((f) => f.status === "n/a" && f.message === "no service in the Compose files runs this image")).toBe(true);
    expect(plan.totals.counts.readOnly).toBe(0);
    // Measured (and 0), not "not checked": the session file was read.
    expect(plan.totals.checked).toEqual({ dockerfiles: true, compose: true, registry: false, bases: false, scans: false });
    // Without a checkout nothing is measured at all: the overview says "not checked", not "0%".
    expect((await planCompliance(prisma, { env: {} })).totals.checked).toEqual({ dockerfiles: false, compose: false, registry: false, bases: false, scans: false });

    const rdp = await planCompliance(prisma, { env: { ...env, LUCID_COMPOSE_FILES: "RDP/docker-compose.server-images.yml" } });
    const monitor = rdp.images.find((i) => i.name === "lucid-rdp-monitor")!.findings.find((f) => f.rule === "compose-read-only")!;
    expect(monitor.status).toBe("n/a");
    expect(monitor.message).toMatch(/^not checked: the Compose files cannot be read \(\d+ problems?, first: /);
  });

  it("adds the pushed image's evidence", async () => {
    const plan = await planCompliance(prisma, { env });
    const redis = plan.images.find((i) => i.name === "lucid-redis")!;
    const image = redis.findings.filter((f) => f.source === "image");
    expect(image.map((f) => [f.rule, f.status])).toEqual([
      ["image-non-root-user", "pass"],
      ["image-healthcheck", "pass"],
      ["image-platforms", "pass"],
    ]);
    const mongodb = plan.images.find((i) => i.name === "lucid-mongodb")!;
    expect(mongodb.status).toBe("fail");
    expect(mongodb.findings.find((f) => f.rule === "image-platforms")!.message).toBe("the pushed image lacks linux/arm64 (it has linux/amd64)");
    const sessionApi = plan.images.find((i) => i.name === "lucid-session-api")!;
    expect(sessionApi.findings.find((f) => f.rule === "image-non-root-user")!.message).toContain("has no image config recorded");
    expect(plan.images.find((i) => i.name === "lucid-gui")!.findings.find((f) => f.rule === "image-healthcheck")!.message).toContain("no pushed build yet");
  });

  it("says what to set when LUCID_REPO_ROOT is not", async () => {
    const plan = await planCompliance(prisma, { env: {} });
    expect(plan.note).toBe("Dockerfiles were not checked: LUCID_REPO_ROOT is not set: set LUCID_REPO_ROOT to the Lucid checkout");
    const api = plan.images.find((i) => i.name === "lucid-session-api")!;
    expect(api.status).toBe("unknown");
    expect(api.findings.filter((f) => f.source === "dockerfile").every((f) => f.status === "n/a" && f.message.includes("set LUCID_REPO_ROOT"))).toBe(true);
    expect(plan.totals.analysed).toBe(0);
  });

  it("answers for one image, or null for an unknown one", async () => {
    const api = await imageCompliance(prisma, "lucid-session-api", { env });
    expect(api!.findings.find((f) => f.rule === "port-matches-plan")!.status).toBe("fail");
    expect(await imageCompliance(prisma, "lucid-nope", { env })).toBeNull();
  });
});

describe("planCompliance on the small checkout written here", () => {
  const small = { LUCID_REPO_ROOT: SMALL_CHECKOUT };

  it("covers all 35 images in plan order: the three Dockerfiles present are analysed, the others fail dockerfile-present", async () => {
    const plan = await planCompliance(prisma, { env: small });
    expect(plan.images).toHaveLength(35);
    expect(plan.images[0]!.name).toBe("lucid-base-python-distroless");
    expect(plan.note).toBeNull();
    expect(plan.totals.counts.analysed).toBe(3);
    const missing = plan.images.find((i) => i.name === "lucid-api-gateway")!;
    expect(missing.status).toBe("fail");
    expect(missing.findings[0]).toMatchObject({ rule: "dockerfile-present", status: "fail", severity: "error" });
    expect(missing.findings.filter((f) => f.source === "dockerfile").slice(1).every((f) => f.status === "n/a")).toBe(true);
  });

  it("judges each present Dockerfile by its own lines", async () => {
    const plan = await planCompliance(prisma, { env: small });
    const finding = (image: string, rule: string) => plan.images.find((i) => i.name === image)!.findings.find((f) => f.rule === rule)!;
    expect(finding("lucid-session-api", "port-matches-plan")).toMatchObject({ status: "fail", line: 15 });
    expect(finding("lucid-session-api", "non-root-user")).toMatchObject({ status: "pass", line: 14 });
    expect(finding("lucid-gui", "non-root-user")).toMatchObject({ status: "fail", severity: "error" });
    expect(finding("lucid-rdp-xrdp", "distroless-final-stage")).toMatchObject({ status: "fail", line: 3 });
    expect(finding("lucid-rdp-xrdp", "no-secrets-in-env")).toMatchObject({ status: "fail", line: 4 });
    expect(plan.totals.counts).toMatchObject({ analysed: 3, distroless: 2, nonRoot: 1, pinned: 0 });
  });

  it("adds the pushed image's evidence, whatever the checkout", async () => {
    const plan = await planCompliance(prisma, { env: small });
    const redis = plan.images.find((i) => i.name === "lucid-redis")!;
    expect(redis.findings.filter((f) => f.source === "image").map((f) => [f.rule, f.status])).toEqual([
      ["image-non-root-user", "pass"],
      ["image-healthcheck", "pass"],
      ["image-platforms", "pass"],
    ]);
    expect(plan.images.find((i) => i.name === "lucid-mongodb")!.findings.find((f) => f.rule === "image-platforms")!.message).toBe("the pushed image lacks linux/arm64 (it has linux/amd64)");
    expect(await imageCompliance(prisma, "lucid-nope", { env: small })).toBeNull();
  });
});

describe("analyseImage in a checkout", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "lucid-compliance-"));
    await mkdir(path.join(root, "svc"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("caches by path, mtime and size, and re-reads a changed file", async () => {
    clearAnalysisCache();
    const file = path.join(root, "svc", "Dockerfile");
    await writeFile(file, "FROM gcr.io/distroless/static\nUSER 65532:65532\n");
    const image = { name: "svc", dockerfile: "svc/Dockerfile" };
    const first = await analyseImage(image, { env: { LUCID_REPO_ROOT: root } });
    const second = await analyseImage(image, { env: { LUCID_REPO_ROOT: root } });
    expect(analysisCacheSize()).toBe(1);
    expect(second.findings[0]).toBe(first.findings[0]);
    expect(first.findings.find((f) => f.rule === "non-root-user")!.status).toBe("pass");

    await writeFile(file, "FROM gcr.io/distroless/static\nUSER root:root\n");
    await utimes(file, new Date(), new Date(Date.now() + 5_000));
    const changed = await analyseImage(image, { env: { LUCID_REPO_ROOT: root } });
    expect(changed.findings.find((f) => f.rule === "non-root-user")!.status).toBe("fail");
    expect(analysisCacheSize()).toBe(2);
    // Other plan facts are another cache entry, not a stale answer.
    const withPort = await analyseImage({ ...image, port: 8080 }, { env: { LUCID_REPO_ROOT: root } });
    expect(withPort.findings.find((f) => f.rule === "port-matches-plan")!.status).toBe("fail");
  });

  it("keeps the Dockerfile inside the checkout", async () => {
    const escaped = await analyseImage({ name: "x", dockerfile: "../../etc/passwd" }, { env: { LUCID_REPO_ROOT: root } });
    expect(escaped.findings[0]).toMatchObject({ rule: "dockerfile-present", status: "fail" });
    expect(escaped.findings[0]!.message).toContain("leaves the checkout");
  });

  it("reports a Dockerfile that is not a Dockerfile as a parse error", async () => {
    await writeFile(path.join(root, "svc", "Empty"), "");
    const empty = await analyseImage({ name: "x", dockerfile: "svc/Empty" }, { env: { LUCID_REPO_ROOT: root } });
    expect(empty).toMatchObject({ status: "fail", parseError: "the Dockerfile is empty" });
  });
});
