// Reads for the health badges, the image page panel and the JSON API. Times are ISO strings (JSON-ready).
import { checkedService, isUp, type HealthState } from "@/lib/health/outcomes";
import { isProbeOutcome, type ProbeOutcome } from "@/lib/db/vocabulary";
import { HOUR_MS, hourOf } from "@/lib/health/rollup";
import { getDeployTarget, proberSettings, type Db, type DeployTarget } from "@/lib/health/settings";
import { uptime } from "@/lib/health/stats";
import { judgingRule, type HealthExpectation } from "@/lib/health/judge";
import { expectationOf, targetUrl } from "@/lib/health/targets";
import { probeMap, type ProbeMap, type ProbeSource } from "@/lib/health/probe-map";
import { probedState } from "@/lib/health/state";

const HEARTBEATS = 50;
const RECENT_INCIDENTS = 10;
const MAX_LATENCY_POINTS = 300;

export type LastProbe = { at: string; httpStatus: number | null; latencyMs: number | null; outcome: ProbeOutcome; error: string | null };

export type ImageHealthSummary = { name: string; state: HealthState; since: string | null; lastProbe: LastProbe | null; uptime24h: number | null };

export type HealthOverview = { enabled: boolean; target: DeployTarget | null; images: ImageHealthSummary[] };

/** Why an image is not probed: no deployment host at all, this image has no port or health path, or it is not deployed. */
export type OffReason = "no_host" | "no_target" | "not_deployed";

export type LatencyPoint = { at: string; latencyMs: number | null; maxMs: number | null; failures: number; samples: number };

export type HealthIncidentView = { id: number; kind: "down" | "degraded"; startedAt: string; endedAt: string | null; reason: string };

export type ImageHealthDetail = {
  name: string;
  state: HealthState;
  offReason: OffReason | null;
  since: string | null;
  consecutiveFailures: number;
  /** How deployed is decided: by the Compose files, or by pushed builds (lib/health/probe-map.ts). */
  basis: ProbeMap["basis"];
  /**
   * `url`: what is probed; `source`: where its port and path come from. `port` and `healthPath` are the image's
   * own (the plan's, or an admin's), which Edit target changes.
   */
  target: { url: string | null; source: ProbeSource | null; port: number | null; healthPath: string | null; expect: HealthExpectation | null };
  uptime24h: number | null;
  uptime7d: number | null;
  /** The share of the last 24 h's probes whose service said it was degraded (counted apart from up and down). */
  degraded24h: number | null;
  /** Which rule judges this image's answers: the body's status word, or an admin's expectation. */
  judgedBy: string;
  lastProbe: LastProbe | null;
  /** The service's last failure (or degraded answer); a probe that did not check it is not one. */
  lastError: LastProbe | null;
  /** The last 24 h, oldest first, at most MAX_LATENCY_POINTS points (mean latency of the up samples per point). */
  latency: LatencyPoint[];
  /** The last HEARTBEATS probes, oldest first. */
  heartbeats: LastProbe[];
  /** The last RECENT_INCIDENTS incidents, newest first. */
  incidents: HealthIncidentView[];
};

type StatusFields = { state: string; since: Date; uncheckedSince: Date | null } | null;
type SampleRow = { at: Date; httpStatus: number | null; latencyMs: number | null; outcome: string; error: string | null };

/** Since when the shown state holds; none for a state that is not a probed one. */
export function shownSince(state: HealthState, status: StatusFields): string | null {
  if (state === "not_checked") return status?.uncheckedSince?.toISOString() ?? null;
  return state === "off" || state === "unknown" || state === "not_deployed" ? null : (status?.since.toISOString() ?? null);
}

/**
 * What an image's health shows: off (no host, or nowhere to probe), not deployed, not checked (the latest probes
 * could not check it: the state it was last seen in is not shown as its state now), or its stored state (unknown
 * before the first probe). Deployed and where to probe come from the probe map (lib/health/probe-map.ts).
 */
export function shownState(deploy: DeployTarget | null, imageId: number, status: StatusFields, map: ProbeMap): HealthState {
  if (!deploy) return "off";
  const deployed = map.deployed.has(imageId);
  const probed = map.targets.has(imageId);
  if (map.basis === "deployment") {
    // An image no service runs is not deployed, whatever its port; one that runs with nowhere to probe is off.
    if (!deployed) return "not_deployed";
    if (!probed) return "off";
  } else {
    if (!probed) return "off";
    if (!deployed) return "not_deployed";
  }
  return probedState(status);
}

function lastProbeOf(sample: SampleRow): LastProbe {
  return {
    at: sample.at.toISOString(),
    httpStatus: sample.httpStatus,
    latencyMs: sample.latencyMs,
    outcome: isProbeOutcome(sample.outcome) ? sample.outcome : "error",
    error: sample.error,
  };
}

/**
 * Every image, in plan order, with its health: four queries whatever the number of images or samples. Uptime over
 * 24 h reads the hourly counts of the last 24 hours (and the current one), never the raw samples.
 */
export async function healthOverview(db: Db, now = new Date()): Promise<HealthOverview> {
  const dayAgo = hourOf(now.getTime() - 24 * HOUR_MS);
  const [deploy, images, rollups, map] = await Promise.all([
    getDeployTarget(db),
    db.image.findMany({
      select: { id: true, name: true, healthStatus: { select: { state: true, since: true, lastSampleAt: true, uncheckedSince: true } } },
      orderBy: [{ phase: { number: "asc" } }, { step: "asc" }],
    }),
    db.healthRollup.groupBy({ by: ["imageId"], where: { hour: { gte: dayAgo, lte: now } }, _sum: { samples: true, up: true } }),
    probeMap(db),
  ]);
  const latest = await latestSamples(db, images);
  const tally = new Map<number, { samples: number; up: number }>();
  const add = (imageId: number, samples: number, up: number) => {
    const t = tally.get(imageId) ?? { samples: 0, up: 0 };
    tally.set(imageId, { samples: t.samples + samples, up: t.up + up });
  };
  for (const r of rollups) add(r.imageId, r._sum.samples ?? 0, r._sum.up ?? 0);

  return {
    enabled: deploy !== null,
    target: deploy,
    images: images.map((image) => {
      const state = shownState(deploy, image.id, image.healthStatus, map);
      const t = tally.get(image.id);
      const last = latest.get(image.id);
      return {
        name: image.name,
        state,
        since: shownSince(state, image.healthStatus),
        lastProbe: last ? lastProbeOf(last) : null,
        uptime24h: t ? uptime(t.up, t.samples) : null,
      };
    }),
  };
}

/** The newest sample of each image, found through HealthStatus.lastSampleAt (one indexed query). */
async function latestSamples(db: Db, images: { id: number; healthStatus: { lastSampleAt: Date | null } | null }[]): Promise<Map<number, SampleRow>> {
  const keys = images.flatMap((i) => (i.healthStatus?.lastSampleAt ? [{ imageId: i.id, at: i.healthStatus.lastSampleAt }] : []));
  if (keys.length === 0) return new Map();
  const rows = await db.healthSample.findMany({ where: { OR: keys }, orderBy: { id: "asc" } });
  return new Map(rows.map((r) => [r.imageId, r]));
}

/** One image's health for its page, or null for an unknown image. */
export async function imageHealth(db: Db, name: string, now = new Date()): Promise<ImageHealthDetail | null> {
  const image = await db.image.findUnique({
    where: { name },
    select: { id: true, name: true, port: true, healthPath: true, healthExpectField: true, healthExpectValue: true, healthStatus: true },
  });
  if (!image) return null;
  const dayAgo = new Date(now.getTime() - 24 * HOUR_MS);
  const [deploy, map, recent, day, rollups, lastError, incidents] = await Promise.all([
    getDeployTarget(db),
    probeMap(db, { id: image.id }),
    db.healthSample.findMany({ where: { imageId: image.id }, orderBy: [{ at: "desc" }, { id: "desc" }], take: HEARTBEATS }),
    db.healthSample.findMany({ where: { imageId: image.id, at: { gte: dayAgo, lte: now } }, orderBy: { at: "asc" }, select: { at: true, outcome: true, latencyMs: true } }),
    db.healthRollup.findMany({ where: { imageId: image.id, hour: { gte: hourOf(now.getTime() - 7 * 24 * HOUR_MS), lte: now } }, select: { hour: true, samples: true, up: true, degraded: true } }),
    db.healthSample.findFirst({ where: { imageId: image.id, outcome: { notIn: ["up", "not_checked"] } }, orderBy: [{ at: "desc" }, { id: "desc" }] }),
    db.healthIncident.findMany({ where: { imageId: image.id }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], take: RECENT_INCIDENTS }),
  ]);
  const state = shownState(deploy, image.id, image.healthStatus, map);
  const probe = map.targets.get(image.id) ?? null;
  const heartbeats = recent.reverse().map(lastProbeOf);
  const rolled = (from: Date) =>
    rollups.filter((r) => r.hour >= from).reduce((t, r) => ({ samples: t.samples + r.samples, up: t.up + r.up, degraded: t.degraded + r.degraded }), { samples: 0, up: 0, degraded: 0 });
  const day24 = rolled(hourOf(dayAgo.getTime()));
  const week7 = rolled(hourOf(now.getTime() - 7 * 24 * HOUR_MS));
  return {
    name: image.name,
    state,
    offReason: state === "not_deployed" ? "not_deployed" : state !== "off" ? null : deploy ? "no_target" : "no_host",
    since: shownSince(state, image.healthStatus),
    consecutiveFailures: image.healthStatus?.consecutiveFailures ?? 0,
    basis: map.basis,
    target: {
      url: deploy && probe ? targetUrl(deploy, probe.port, probe.path) : null,
      source: probe?.source ?? null,
      port: image.port,
      healthPath: image.healthPath,
      expect: expectationOf(image),
    },
    uptime24h: uptime(day24.up, day24.samples),
    uptime7d: uptime(week7.up, week7.samples),
    degraded24h: uptime(day24.degraded, day24.samples),
    judgedBy: judgingRule(expectationOf(image), proberSettings()),
    lastProbe: heartbeats.at(-1) ?? null,
    lastError: lastError ? lastProbeOf(lastError) : null,
    latency: latencySeries(day, dayAgo, now, MAX_LATENCY_POINTS),
    heartbeats,
    incidents: incidents.map((i) => ({ id: i.id, kind: i.kind, startedAt: i.startedAt.toISOString(), endedAt: i.endedAt?.toISOString() ?? null, reason: i.reason })),
  };
}

/**
 * Samples (oldest first) → at most `maxPoints` points: each sample as is when there are few enough,
 * otherwise one point per equal slice of the window (empty slices are left out, so gaps stay gaps).
 */
export function latencySeries(samples: { at: Date; outcome: string; latencyMs: number | null }[], from: Date, to: Date, maxPoints: number): LatencyPoint[] {
  const bucketMs = Math.max(1, (to.getTime() - from.getTime()) / maxPoints);
  const groups = new Map<number, typeof samples>();
  for (const s of samples) {
    const key = samples.length <= maxPoints ? s.at.getTime() : Math.min(maxPoints - 1, Math.floor((s.at.getTime() - from.getTime()) / bucketMs));
    const group = groups.get(key);
    if (group) group.push(s);
    else groups.set(key, [s]);
  }
  return [...groups.values()].map((group) => {
    const up = group.filter((s) => isUp(s.outcome) && s.latencyMs !== null).map((s) => s.latencyMs!);
    return {
      at: group[0]!.at.toISOString(),
      latencyMs: up.length > 0 ? Math.round(up.reduce((a, b) => a + b, 0) / up.length) : null,
      maxMs: up.length > 0 ? Math.max(...up) : null,
      failures: group.filter((s) => !isUp(s.outcome) && checkedService(s.outcome)).length,
      samples: group.length,
    };
  });
}
