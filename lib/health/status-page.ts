// The read model of the status page (/status): every service's state, its recent probes, uptime over 24 h, 7 d and
// 30 d, and the incidents, open ones first. Uptime reads the hourly counts (HealthRollup, kept as samples are
// recorded), so 30 d is at most 720 rows per service, never 30 days of raw samples.
import { Prisma } from "@/lib/generated/prisma/client";
import type { HealthState } from "@/lib/health/outcomes";
import { isProbeOutcome, type ProbeOutcome } from "@/lib/db/vocabulary";
import { shownSince, shownState } from "@/lib/health/queries";
import { probeMap } from "@/lib/health/probe-map";
import { HOUR_MS, hourOf } from "@/lib/health/rollup";
import { getDeployTarget, type Db, type DeployTarget } from "@/lib/health/settings";
import { uptime } from "@/lib/health/stats";

const HEARTBEATS = 30;
const RESOLVED_INCIDENTS = 10;
const DAY_MS = 24 * HOUR_MS;

export type StatusProbe = { at: string; outcome: ProbeOutcome; httpStatus: number | null; latencyMs: number | null; error: string | null };

export type StatusService = {
  name: string;
  title: string;
  phase: number;
  state: HealthState;
  since: string | null;
  /** The last probes, oldest first. */
  heartbeats: StatusProbe[];
  uptime: { day: number | null; week: number | null; month: number | null };
};

export type StatusIncident = { id: number; image: string; kind: "down" | "degraded"; startedAt: string; endedAt: string | null; reason: string };

export type StatusPage = {
  enabled: boolean;
  target: DeployTarget | null;
  counts: Record<HealthState, number>;
  services: StatusService[];
  /** Open incidents first (newest first), then the latest resolved ones. */
  incidents: StatusIncident[];
};

const STATE_ORDER: HealthState[] = ["down", "failing", "degraded", "not_checked", "unknown", "up", "not_deployed", "off"];

export async function statusPage(db: Db, now = new Date()): Promise<StatusPage> {
  const [deploy, images, rollups, open, resolved] = await Promise.all([
    getDeployTarget(db),
    db.image.findMany({
      select: { id: true, name: true, title: true, phase: { select: { number: true } }, healthStatus: { select: { state: true, since: true, uncheckedSince: true } } },
      orderBy: [{ phase: { number: "asc" } }, { step: "asc" }],
    }),
    uptimeWindows(db, now),
    db.healthIncident.findMany({ where: { endedAt: null }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], include: { image: { select: { name: true } } } }),
    db.healthIncident.findMany({ where: { endedAt: { not: null } }, orderBy: [{ endedAt: "desc" }, { id: "desc" }], take: RESOLVED_INCIDENTS, include: { image: { select: { name: true } } } }),
  ]);

  const map = await probeMap(db);
  const shown = images.map((image) => ({ image, state: shownState(deploy, image.id, image.healthStatus, map) }));
  const probed = shown.filter((s) => s.state !== "off" && s.state !== "not_deployed").map((s) => s.image.id);
  const recent = await recentProbes(db, probed);

  const counts = Object.fromEntries(STATE_ORDER.map((s) => [s, 0])) as Record<HealthState, number>;
  const services = shown.map(({ image, state }): StatusService => {
    counts[state]++;
    return {
      name: image.name,
      title: image.title,
      phase: image.phase.number,
      state,
      since: shownSince(state, image.healthStatus),
      heartbeats: recent.get(image.id) ?? [],
      uptime: rollups.get(image.id) ?? { day: null, week: null, month: null },
    };
  });
  services.sort((a, b) => STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) || a.phase - b.phase);
  const incident = (i: (typeof open)[number]): StatusIncident => ({
    id: i.id,
    image: i.image.name,
    kind: i.kind,
    startedAt: i.startedAt.toISOString(),
    endedAt: i.endedAt?.toISOString() ?? null,
    reason: i.reason,
  });
  // Incidents of images no longer probed (not deployed, no host) say nothing about what runs now.
  const probedNames = new Set(shown.filter((s) => s.state !== "off" && s.state !== "not_deployed").map((s) => s.image.name));
  const current = (i: { image: { name: string } }) => probedNames.has(i.image.name);
  return { enabled: deploy !== null, target: deploy, counts, services, incidents: [...open.filter(current).map(incident), ...resolved.filter(current).map(incident)] };
}

type UptimeRow = { imageId: number | bigint; daySamples: number | bigint; dayUp: number | bigint; weekSamples: number | bigint; weekUp: number | bigint; monthSamples: number | bigint; monthUp: number | bigint };

/** Uptime over 24 h, 7 d and 30 d of every image, summed from the hourly counts by SQLite: one row per image. */
async function uptimeWindows(db: Db, now: Date): Promise<Map<number, StatusService["uptime"]>> {
  const from = (ms: number) => hourOf(now.getTime() - ms);
  const [day, week, month] = [from(DAY_MS), from(7 * DAY_MS), from(30 * DAY_MS)];
  const rows = await db.$queryRaw<UptimeRow[]>`
    SELECT "imageId",
      SUM(CASE WHEN "hour" >= ${day} THEN "samples" ELSE 0 END) AS "daySamples", SUM(CASE WHEN "hour" >= ${day} THEN "up" ELSE 0 END) AS "dayUp",
      SUM(CASE WHEN "hour" >= ${week} THEN "samples" ELSE 0 END) AS "weekSamples", SUM(CASE WHEN "hour" >= ${week} THEN "up" ELSE 0 END) AS "weekUp",
      SUM("samples") AS "monthSamples", SUM("up") AS "monthUp"
    FROM "HealthRollup" WHERE "hour" >= ${month} AND "hour" <= ${now} GROUP BY "imageId"`;
  return new Map(
    rows.map((r) => [
      Number(r.imageId),
      { day: uptime(Number(r.dayUp), Number(r.daySamples)), week: uptime(Number(r.weekUp), Number(r.weekSamples)), month: uptime(Number(r.monthUp), Number(r.monthSamples)) },
    ]),
  );
}

type ProbeRow = { imageId: number | bigint; at: number | bigint | Date; outcome: string; httpStatus: number | bigint | null; latencyMs: number | bigint | null; error: string | null };

/**
 * The last HEARTBEATS probes of each image, oldest first: one statement, an index seek per image on
 * (imageId, at), however many samples are stored.
 */
async function recentProbes(db: Db, imageIds: number[]): Promise<Map<number, StatusProbe[]>> {
  const byImage = new Map<number, StatusProbe[]>(imageIds.map((id) => [id, []]));
  if (imageIds.length === 0) return byImage;
  const perImage = imageIds.map(
    (imageId) => Prisma.sql`SELECT * FROM (SELECT "imageId", "at", "outcome", "httpStatus", "latencyMs", "error" FROM "HealthSample"
      WHERE "imageId" = ${imageId} ORDER BY "at" DESC, "id" DESC LIMIT ${HEARTBEATS}) AS "recent"`,
  );
  const rows = await db.$queryRaw<ProbeRow[]>`${Prisma.join(perImage, " UNION ALL ")}`;
  for (const r of rows) {
    byImage.get(Number(r.imageId))?.push({
      at: new Date(Number(r.at)).toISOString(),
      outcome: isProbeOutcome(r.outcome) ? r.outcome : "error",
      httpStatus: r.httpStatus === null ? null : Number(r.httpStatus),
      latencyMs: r.latencyMs === null ? null : Number(r.latencyMs),
      error: r.error,
    });
  }
  // Each image's rows came newest first; equal times keep their order reversed too.
  for (const probes of byImage.values()) probes.reverse().sort((a, b) => a.at.localeCompare(b.at));
  return byImage;
}
