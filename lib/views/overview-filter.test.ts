import { describe, expect, it } from "vitest";
import { getPlanOverview } from "@/lib/views/overview";
import { useSeededDatabase } from "@/lib/testing/seeded-database";
import { matchesFilter, overviewHref, parseOverviewFilter, type OverviewFilter } from "@/lib/views/overview-filter";

const db = useSeededDatabase();

async function record(image: string, status: "failed" | "running" | "succeeded", pushed = false) {
  const { id: imageId } = await db.prisma.image.findUniqueOrThrow({ where: { name: image } });
  await db.prisma.build.create({ data: { imageId, status, source: "api", tags: [], platforms: [], pushed } });
}

async function shown(filter: Partial<OverviewFilter>): Promise<string[]> {
  const plan = await getPlanOverview(db.prisma);
  const full = { status: null, phase: null, q: "", ...filter };
  return plan.phases.flatMap((p) => p.images.filter((i) => matchesFilter(i, p.number, full)).map((i) => i.name));
}

describe("overview filters", () => {
  it("reads a filter from the address and writes it back, ignoring what it does not know", () => {
    const filter = parseOverviewFilter(new URLSearchParams("status=failed&phase=4&q=%20session%20&x=1"));
    expect(filter).toEqual({ status: "failed", phase: 4, q: "session" });
    expect(overviewHref(filter)).toBe("/?status=failed&phase=4&q=session");
    expect(parseOverviewFilter(new URLSearchParams("status=bogus&phase=-2"))).toEqual({ status: null, phase: null, q: "" });
    expect(overviewHref({ status: null, phase: null, q: "" }, "#images")).toBe("/#images");
  });

  it("filters by status: failed, building, not built, and pushed even when a later rebuild failed", async () => {
    await record("lucid-session-api", "succeeded", true);
    await record("lucid-session-api", "failed");
    await record("lucid-auth-service", "running");
    expect(await shown({ status: "failed" })).toEqual(["lucid-session-api"]);
    expect(await shown({ status: "building" })).toEqual(["lucid-auth-service"]);
    // The seeded plan has 8 pushed images (imported from the build summary), lucid-session-api among them.
    const pushed = await shown({ status: "pushed" });
    expect(pushed).toContain("lucid-session-api");
    expect(pushed).toHaveLength(8);
    const notBuilt = await shown({ status: "not_built" });
    expect(notBuilt).not.toContain("lucid-auth-service");
    expect(notBuilt).toHaveLength(35 - 8 - 1);
  });

  it("filters by phase and searches name, title and repository, ignoring case", async () => {
    const phase4 = await shown({ phase: 4 });
    expect(phase4).toHaveLength(10);
    expect(await shown({ q: "SESSION-API" })).toEqual(["lucid-session-api"]);
    expect(await shown({ q: "mongo", phase: 4 })).toEqual([]);
    expect((await shown({ q: "mongo" })).length).toBeGreaterThan(0);
  });
});
