import type { BuildStatus } from "@/lib/db/vocabulary";
import { describe, expect, it } from "vitest";
import { getPlanOverview } from "@/lib/views/overview";
import { useSeededDatabase } from "@/lib/testing/seeded-database";

const db = useSeededDatabase();

async function record(image: string, status: BuildStatus, extra: { pushed?: boolean; durationMs?: number; sizes?: Record<string, number> } = {}) {
  const { id: imageId } = await db.prisma.image.findUniqueOrThrow({ where: { name: image } });
  return db.prisma.build.create({
    data: {
      imageId,
      status,
      source: "api",
      tags: [],
      platforms: ["linux/arm64", "linux/amd64"],
      pushed: extra.pushed ?? false,
      durationMs: extra.durationMs,
      sizes: { create: Object.entries(extra.sizes ?? {}).map(([platform, compressedBytes]) => ({ platform, compressedBytes })) },
    },
  });
}

const find = async (name: string) => {
  const plan = await getPlanOverview(db.prisma);
  const image = plan.phases.flatMap((p) => p.images).find((i) => i.name === name)!;
  return { plan, image };
};

describe("progress computed from build records", () => {
  it("counts a new pushed build towards its phase and the total", async () => {
    await record("lucid-session-pipeline", "succeeded", { pushed: true, durationMs: 300_000, sizes: { "linux/arm64": 40e6, "linux/amd64": 42e6 } });
    const { plan, image } = await find("lucid-session-pipeline");
    expect(image.state).toBe("pushed");
    expect(image.latestSuccess).toMatchObject({ durationMs: 300_000, sizes: { "linux/arm64": 40e6, "linux/amd64": 42e6 } });
    expect(plan.phases[3]).toMatchObject({ completed: 3, status: "in_progress" });
    expect(plan.totals).toMatchObject({ completed: 9, percent: 26 });
  });

  it("a later failure or a rebuild in progress never takes a pushed image out of the count; the attempt is shown beside it", async () => {
    const before = (await find("lucid-session-api")).plan;
    const ok = await record("lucid-session-api", "succeeded", { pushed: true, durationMs: 600_000 });
    await record("lucid-session-api", "failed");
    const { plan, image } = await find("lucid-session-api");
    expect(image).toMatchObject({ state: "failed", shipped: true });
    expect(image.latestPush?.id).toBe(ok.id);
    expect(image.latestSuccess?.id).toBe(ok.id);
    expect(plan.phases[3]!.completed).toBe(before.phases[3]!.completed);
    expect(plan.totals).toEqual(before.totals);

    await record("lucid-session-api", "running");
    const rebuilding = await find("lucid-session-api");
    expect(rebuilding.image).toMatchObject({ state: "building", shipped: true });
    expect(rebuilding.plan.totals).toEqual(before.totals);
  });

  it("a build that succeeded without pushing is built, not complete", async () => {
    await record("lucid-base", "succeeded", { pushed: false });
    const { plan, image } = await find("lucid-base");
    expect(image.state).toBe("built");
    expect(plan.phases[0]).toMatchObject({ completed: 0, status: "in_progress" });
  });

  it("queued and running builds show as such and do not count", async () => {
    await record("lucid-redis", "queued");
    await record("lucid-mongodb", "running");
    const { plan } = await find("lucid-redis");
    const states = Object.fromEntries(plan.phases[1]!.images.map((i) => [i.name, i.state]));
    expect(states).toMatchObject({ "lucid-redis": "queued", "lucid-mongodb": "building", "lucid-auth-service": "not_built" });
    expect(plan.phases[1]!.completed).toBe(0);
  });

  it("a phase completes when all its required images are pushed", async () => {
    for (const name of ["lucid-base-python-distroless", "lucid-base-java-distroless", "lucid-base"]) {
      await record(name, "succeeded", { pushed: true });
    }
    const { plan } = await find("lucid-base");
    expect(plan.phases[0]).toMatchObject({ completed: 3, required: 3, status: "complete" });
  });
});
