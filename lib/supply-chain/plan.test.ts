import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageCompliance } from "@/lib/views/compliance";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { digestOf, pushTestImage, startTestRegistry, type TestRegistry } from "@/lib/registry/testing";
import { useSeededDatabase } from "@/lib/testing/seeded-database";
import { planSupplyChain, runSupplyChainCheck } from "@/lib/supply-chain/plan";
import { provenanceV02 } from "@/lib/supply-chain/testing";

// The base-freshness graph end to end: Dockerfiles in a checkout, bases pushed to docker-registry on 127.0.0.1,
// builds recorded as the runner records them, a base pushed again under the same tag.

const db = useSeededDatabase();
let registry: TestRegistry;
let checkout: string;
let env: Record<string, string>;

const BASE_V1 = [Buffer.from("distroless base, first build")];
const BASE_V2 = [Buffer.from("distroless base, with the security fix")];
const APP = Buffer.from("the monitor");

beforeAll(async () => {
  registry = await startTestRegistry();
  checkout = await mkdtemp(path.join(tmpdir(), "lucid-bases-"));
  await mkdir(path.join(checkout, "RDP"));
  const reg = registry.host;
  // A builder stage and a final base, both behind an ARG; the final stage COPYs from the builder.
  await writeFile(
    path.join(checkout, "RDP/Dockerfile.monitor"),
    `ARG REG=${reg}\nFROM \${REG}/toolchain/go:1.22 AS build\nRUN true\nFROM \${REG}/distroless/base:nonroot\nCOPY --from=build /app /app\nUSER 65532:65532\n`,
  );
  await writeFile(path.join(checkout, "RDP/Dockerfile.xrdp"), `FROM ${reg}/distroless/base:nonroot\nUSER 65532:65532\n`);
  // Built FROM another plan image: judged against that image's pushes, no registry asked.
  await writeFile(path.join(checkout, "RDP/Dockerfile.controller"), "FROM pickme/lucid-base:python-distroless-arm64\nUSER 65532:65532\n");
  await writeFile(path.join(checkout, "RDP/Dockerfile.server-manager"), `FROM scratch\nCOPY x /x\n`);
  // The registry the dashboard pushes to, and so the one whose attestations it reads.
  env = { LUCID_REPO_ROOT: checkout, LUCID_REGISTRY: registry.host };
});

afterAll(async () => {
  await registry?.stop();
  if (checkout) await rm(checkout, { recursive: true, force: true });
});

const platforms = (layers: Buffer[]) => [{ platform: "linux/arm64", layers, config: { config: { User: "65532:65532" } } }];

/** Records a pushed build as the runner does after reading the push back. */
async function recordPush(prisma: PrismaClient, image: string, tag: string, pushed: { digest: string; platforms: { platform: string; digest: string }[] }, diffIds: string[], finishedAt = new Date()) {
  const row = await prisma.image.findUniqueOrThrow({ where: { name: image } });
  return prisma.build.create({
    data: {
      imageId: row.id,
      status: "succeeded",
      source: "dashboard",
      pushed: true,
      digest: pushed.digest,
      finishedAt,
      tags: [tag],
      platforms: ["linux/arm64"],
      sizes: { create: pushed.platforms.map((p) => ({ platform: p.platform, digest: p.digest, diffIds })) },
    },
  });
}

describe("which pushed images were built from a base that has moved", () => {
  it("judges by layers or provenance, says which, and lists the stale images in plan order after the tag moves", async () => {
    const prisma = db.prisma;
    const reg = registry.host;
    const v1 = await pushTestImage(reg, "distroless/base", "nonroot", platforms(BASE_V1));
    await pushTestImage(reg, "toolchain/go", "1.22", platforms([Buffer.from("go")]));

    const monitor = await pushTestImage(reg, "pickme/lucid-rdp-monitor", "latest-arm64", platforms([...BASE_V1, APP]), { attestations: false });
    await recordPush(prisma, "lucid-rdp-monitor", `${reg}/pickme/lucid-rdp-monitor:latest-arm64`, monitor, [...BASE_V1, APP].map(digestOf));
    const xrdp = await pushTestImage(reg, "pickme/lucid-rdp-xrdp", "latest-arm64", platforms([Buffer.from("xrdp, squashed")]), {
      statements: () => [provenanceV02([{ uri: `pkg:docker/${reg}/distroless/base@nonroot?platform=linux%2Farm64`, sha256: v1.digest.slice(7) }])],
    });
    await recordPush(prisma, "lucid-rdp-xrdp", `${reg}/pickme/lucid-rdp-xrdp:latest-arm64`, xrdp, [digestOf(Buffer.from("xrdp, squashed"))]);

    const first = await runSupplyChainCheck(prisma, env);
    expect(first).toMatchObject({ checked: 2, skipped: 0, moved: [], failed: [], images: 2, readFailures: [] });
    let state = await planSupplyChain(prisma, env);
    const freshnessOf = (name: string) => state.images.find((i) => i.image === name)!.freshness.map((f) => [f.base, f.state, f.evidence]);
    expect(freshnessOf("lucid-rdp-monitor")).toEqual([
      [`${reg}/toolchain/go:1.22`, "unknown", null],
      [`${reg}/distroless/base:nonroot`, "up-to-date", "layers"],
    ]);
    expect(freshnessOf("lucid-rdp-xrdp")).toEqual([[`${reg}/distroless/base:nonroot`, "up-to-date", "provenance"]]);
    expect(state.images.find((i) => i.image === "lucid-rdp-server-manager")!.uses).toEqual([]);
    expect(state.needRebuild).toEqual([]);

    // A second check within a minute asks no registry again.
    expect(await runSupplyChainCheck(prisma, env)).toMatchObject({ checked: 0, skipped: 2 });

    // The distroless maintainers ship a fix under the same tag.
    const v2 = await pushTestImage(reg, "distroless/base", "nonroot", platforms(BASE_V2));
    const second = await runSupplyChainCheck(prisma, { ...env, LUCID_NOTIFY_SLACK_URL: "http://127.0.0.1:9/slack" }, { minIntervalMs: 0 });
    expect(second.moved).toEqual([`${reg}/distroless/base:nonroot`]);
    // Told in the transaction that records the move: an event and a delivery waiting for the sender.
    const told = await prisma.notificationEvent.findFirstOrThrow({ where: { type: "base.moved" }, include: { deliveries: true } });
    expect(told.payload).toMatchObject({ title: `${reg}/distroless/base:nonroot moved`, url: "/bases", data: { from: v1.digest, to: v2.digest } });
    expect(told.deliveries.map((d) => [d.channelKey, d.status])).toEqual([["env:slack", "pending"]]);
    state = await planSupplyChain(prisma, env);
    expect(freshnessOf("lucid-rdp-monitor")[1]).toEqual([`${reg}/distroless/base:nonroot`, "stale", "layers"]);
    expect(freshnessOf("lucid-rdp-xrdp")).toEqual([[`${reg}/distroless/base:nonroot`, "stale", "provenance"]]);
    const monitorStale = state.images.find((i) => i.image === "lucid-rdp-monitor")!.freshness[1]!;
    expect(monitorStale).toMatchObject({ builtFrom: v1.digest, current: v2.digest });
    expect(monitorStale.detail).toMatch(new RegExp(`built from ${v1.digest.slice(0, 19)}, which the tag pointed at until .* UTC; it points at ${v2.digest.slice(0, 19)} now`));
    // In plan order (xrdp is step 20, the monitor 22).
    expect(state.needRebuild).toEqual(["lucid-rdp-xrdp", "lucid-rdp-monitor"]);
    const base = state.bases.find((b) => b.reference === `${reg}/distroless/base:nonroot`)!;
    expect(base).toMatchObject({ digest: v2.digest, planImage: null, error: null });
    expect(base.movedAt).not.toBeNull();

    // The rule says the same, with the evidence.
    const compliance = await imageCompliance(prisma, "lucid-rdp-monitor", { env });
    expect(compliance!.findings.find((f) => f.rule === "base-up-to-date")).toMatchObject({ status: "fail", source: "registry", message: expect.stringContaining("the layers of linux/arm64 do not start with the current base's") });

    // Rebuilt from the new base: up to date again.
    const rebuilt = await pushTestImage(reg, "pickme/lucid-rdp-monitor", "latest-arm64", platforms([...BASE_V2, APP]), { attestations: false });
    await recordPush(prisma, "lucid-rdp-monitor", `${reg}/pickme/lucid-rdp-monitor:latest-arm64`, rebuilt, [...BASE_V2, APP].map(digestOf));
    state = await planSupplyChain(prisma, env);
    expect(freshnessOf("lucid-rdp-monitor")[1]).toEqual([`${reg}/distroless/base:nonroot`, "up-to-date", "layers"]);
    expect(state.needRebuild).toEqual(["lucid-rdp-xrdp"]);
  });

  it("marks the dependents of a plan image stale when the plan image is pushed again, without asking a registry", async () => {
    const prisma = db.prisma;
    const baseLayers = [digestOf(Buffer.from("python base 1"))];
    const fake = (hex: string) => ({ digest: `sha256:${hex.repeat(64)}`, platforms: [{ platform: "linux/arm64", digest: `sha256:${hex.repeat(63)}0` }] });
    await recordPush(prisma, "lucid-base-python-distroless", "127.0.0.1:9/pickme/lucid-base:python-distroless-arm64", fake("1"), baseLayers, new Date(Date.now() - 60_000));
    await recordPush(prisma, "lucid-rdp-controller", "127.0.0.1:9/pickme/lucid-rdp-controller:latest-arm64", fake("2"), [...baseLayers, digestOf(APP)]);
    let state = await planSupplyChain(prisma, env);
    const controller = () => state.images.find((i) => i.image === "lucid-rdp-controller")!.freshness;
    expect(controller().map((f) => [f.base, f.state, f.evidence])).toEqual([["docker.io/pickme/lucid-base:python-distroless-arm64", "up-to-date", "layers"]]);
    expect(state.bases.find((b) => b.planImage === "lucid-base-python-distroless")).toBeDefined();
    // Pushed to another registry than the dashboard's: its attestations are not read, and it says why.
    expect(state.images.find((i) => i.image === "lucid-rdp-controller")!.notRead).toBe(`pushed to 127.0.0.1:9, not to the registry builds push to (${registry.host}); only that one is read`);

    await recordPush(prisma, "lucid-base-python-distroless", "127.0.0.1:9/pickme/lucid-base:python-distroless-arm64", fake("3"), [digestOf(Buffer.from("python base 2"))]);
    state = await planSupplyChain(prisma, env);
    expect(controller()[0]).toMatchObject({ state: "stale", evidence: "layers", builtFrom: `sha256:${"1".repeat(64)}`, current: `sha256:${"3".repeat(64)}` });
    expect(state.needRebuild).toContain("lucid-rdp-controller");

    // A tag the plan image does not push (an old timestamped one) does not follow its pushes: an outside base,
    // not checked yet (written after the checks above, so no test asks Docker Hub).
    await writeFile(path.join(checkout, "RDP/Dockerfile.server-manager"), "FROM pickme/lucid-base:python-distroless-20240101-000000\nUSER 65532:65532\n");
    state = await planSupplyChain(prisma, env);
    const pinned = state.bases.find((b) => b.reference === "docker.io/pickme/lucid-base:python-distroless-20240101-000000")!;
    expect(pinned).toMatchObject({ planImage: null, digest: null });
  });
});
