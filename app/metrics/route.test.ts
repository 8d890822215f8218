import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "@/lib/tokens/tokens";
import { recordSamples } from "@/lib/health/record";
import { useAppDatabase, type AppDatabase } from "@/lib/testing/app-database";

let app: AppDatabase;
let GET: typeof import("@/app/metrics/route").GET;

beforeAll(async () => {
  app = await useAppDatabase("metrics-route");
  const image = await app.prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
  await app.prisma.build.createMany({
    data: [
      { imageId: image.id, status: "succeeded", source: "api", pushed: true, durationMs: 90_000, tags: [], platforms: [] },
      { imageId: image.id, status: "failed", source: "api", durationMs: 20_000, tags: [], platforms: [] },
      { imageId: image.id, status: "queued", source: "api", tags: [], platforms: [] },
    ],
  });
  ({ GET } = await import("@/app/metrics/route"));
});
afterAll(async () => app.restore());

const get = (headers: Record<string, string> = {}) => GET(new Request("http://localhost/metrics", { headers }));

describe("GET /metrics", () => {
  it("answers Prometheus text to a token with metrics:read: builds by status, the queue, durations, images per phase", async () => {
    const token = (await createToken(app.prisma, "prometheus", ["metrics:read"])).token;
    const response = await get({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain('lucid_builds{status="failed"} 1');
    expect(text).toContain("lucid_build_queue_length 1");
    expect(text).toContain('lucid_build_duration_seconds_bucket{le="30",status="failed"} 1');
    expect(text).toContain('lucid_build_duration_seconds_bucket{le="120",status="succeeded"} 1');
    expect(text).toContain('lucid_phase_images{phase="4"} 10');
    // The seeded plan's two imported pushes in Phase 4 (lucid-session-api among them: its new push is not a new image).
    expect(text).toContain('lucid_phase_images_pushed{phase="4"} 2');
    // The Pi has not reported: deployed is absent, not 0.
    expect(text).not.toMatch(/^lucid_phase_images_deployed\{/m);
  });

  it("says a service the prober could not check is not_checked, with the latency of the last probe that did check it", async () => {
    const image = await app.prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    const at = Date.now() - 60_000;
    await recordSamples(app.prisma, [{ imageId: image.id, at: new Date(at), outcome: "up", httpStatus: 200, latencyMs: 12, error: null }], 3);
    await recordSamples(app.prisma, [{ imageId: image.id, at: new Date(at + 30_000), outcome: "not_checked", httpStatus: null, latencyMs: 1400, error: "the blackbox exporter at http://127.0.0.1:9115 cannot be reached" }], 3);
    const token = (await createToken(app.prisma, "prometheus-health", ["metrics:read"])).token;
    const text = await (await get({ authorization: `Bearer ${token}` })).text();
    expect(text).toContain('lucid_health_state{image="lucid-session-api",state="not_checked"} 1');
    expect(text).toContain('lucid_health_state{image="lucid-session-api",state="up"} 0');
    expect(text).toContain('lucid_probe_samples{image="lucid-session-api",outcome="not_checked"} 1');
    expect(text).toContain('lucid_probe_latency_seconds{image="lucid-session-api"} 0.012');
  });

  it("refuses a token without the scope and an anonymous request; LUCID_METRICS_PUBLIC opens it", async () => {
    const writer = (await createToken(app.prisma, "writer-only", ["builds:write"])).token;
    expect((await get({ authorization: `Bearer ${writer}` })).status).toBe(403);
    expect((await get()).status).toBe(401);
    process.env.LUCID_METRICS_PUBLIC = "true";
    try {
      expect((await get()).status).toBe(200);
    } finally {
      delete process.env.LUCID_METRICS_PUBLIC;
    }
  });
});
