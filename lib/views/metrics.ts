// GET /metrics in Prometheus's text format (prom-client): computed from the database at each scrape, in a registry
// of its own, so what it says is what the dashboard shows (no counters kept in one process's memory, which a second
// instance or a restart would not share).
import { Gauge, Histogram, Registry } from "prom-client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ACTIVE_BUILD_STATUSES, FINISHED_BUILD_STATUSES } from "@/lib/db/vocabulary";
import type { PlanOverview } from "@/lib/views/overview";
import { probedState } from "@/lib/health/state";
import type { PlanComplianceSummary } from "@/lib/compliance/types";

const DURATION_BUCKETS_S = [30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200];
const HEALTH_STATES = ["up", "degraded", "failing", "down", "unknown", "not_checked"] as const;

export async function metricsText(prisma: PrismaClient, plan: PlanOverview, compliance: PlanComplianceSummary): Promise<{ text: string; contentType: string }> {
  const registry = new Registry();
  const [byStatus, durations, health] = await Promise.all([
    prisma.build.groupBy({ by: ["status"], _count: { _all: true } }),
    prisma.build.findMany({ where: { durationMs: { not: null }, status: { in: ["succeeded", "failed"] } }, select: { durationMs: true, status: true } }),
    prisma.healthStatus.findMany({ select: { state: true, uncheckedSince: true, image: { select: { name: true } } } }),
  ]);

  const builds = new Gauge({ name: "lucid_builds", help: "Build records by status", labelNames: ["status"], registers: [registry] });
  for (const status of [...ACTIVE_BUILD_STATUSES, ...FINISHED_BUILD_STATUSES]) builds.set({ status }, byStatus.find((b) => b.status === status)?._count._all ?? 0);
  new Gauge({ name: "lucid_build_queue_length", help: "Builds queued and not started", registers: [registry] }).set(byStatus.find((b) => b.status === "queued")?._count._all ?? 0);
  const duration = new Histogram({ name: "lucid_build_duration_seconds", help: "Duration of every finished build on record, by result", labelNames: ["status"], buckets: DURATION_BUCKETS_S, registers: [registry] });
  for (const d of durations) duration.observe({ status: d.status }, d.durationMs! / 1000);

  const state = new Gauge({ name: "lucid_health_state", help: "1 for the state each probed image is in (up, degraded, failing, down, unknown, not_checked: the prober could not check it)", labelNames: ["image", "state"], registers: [registry] });
  for (const h of health) {
    const shown = probedState(h);
    for (const s of HEALTH_STATES) state.set({ image: h.image.name, state: s }, shown === s ? 1 : 0);
  }
  await probeMetrics(prisma, registry);

  const labels = ["phase"];
  const images = new Gauge({ name: "lucid_phase_images", help: "Images the plan requires per phase", labelNames: labels, registers: [registry] });
  const pushed = new Gauge({ name: "lucid_phase_images_pushed", help: "Images with a pushed build per phase", labelNames: labels, registers: [registry] });
  const deployed = new Gauge({ name: "lucid_phase_images_deployed", help: "Images a running container runs, per phase (absent until the Pi reports)", labelNames: labels, registers: [registry] });
  const compliant = new Gauge({ name: "lucid_phase_images_compliant", help: "Images whose compliance status is pass, per phase", labelNames: labels, registers: [registry] });
  const statusOf = new Map(compliance.images.map((i) => [i.name, i.status]));
  for (const phase of plan.phases) {
    const phaseLabel = { phase: String(phase.number) };
    images.set(phaseLabel, phase.required);
    pushed.set(phaseLabel, phase.completed);
    if (plan.runningReportedAt !== null) deployed.set(phaseLabel, phase.deployed);
    compliant.set(phaseLabel, phase.images.filter((i) => statusOf.get(i.name) === "pass").length);
  }
  return { text: await registry.metrics(), contentType: registry.contentType };
}

/** Probe outcomes over the raw samples kept (LUCID_HEALTH_RETENTION_DAYS), and the latest latency, per image. */
async function probeMetrics(prisma: PrismaClient, registry: Registry): Promise<void> {
  const [outcomes, latest] = await Promise.all([
    prisma.$queryRaw<{ image: string; outcome: string; n: number | bigint }[]>`
      SELECT i."name" AS "image", s."outcome" AS "outcome", COUNT(*) AS "n" FROM "HealthSample" s JOIN "Image" i ON i."id" = s."imageId" GROUP BY i."name", s."outcome"`,
    prisma.$queryRaw<{ image: string; latencyMs: number | bigint | null }[]>`
      SELECT i."name" AS "image", (SELECT s."latencyMs" FROM "HealthSample" s WHERE s."imageId" = i."id" AND s."outcome" <> 'not_checked' ORDER BY s."at" DESC LIMIT 1) AS "latencyMs" FROM "Image" i`,
  ]);
  const probes = new Gauge({ name: "lucid_probe_samples", help: "Probe samples kept, by outcome (up, degraded, down, timeout, refused, dns, bad_body, error, not_checked)", labelNames: ["image", "outcome"], registers: [registry] });
  for (const o of outcomes) probes.set({ image: o.image, outcome: o.outcome }, Number(o.n));
  const latency = new Gauge({ name: "lucid_probe_latency_seconds", help: "Latency of the latest probe that checked the service", labelNames: ["image"], registers: [registry] });
  for (const l of latest) if (l.latencyMs !== null) latency.set({ image: l.image }, Number(l.latencyMs) / 1000);
}
