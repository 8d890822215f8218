// The read model of the status page (/status): every service's state, its recent probes, uptime over 24 h, 7 d and
// 30 d, and the incidents, open ones first. Uptime reads the hourly counts (HealthRollup, kept as samples are
// recorded), so 30 d is at most 720 rows per service, never 30 days of raw samples.
import type { HealthState } from "@/lib/health/outcomes";
import { isProbeOutcome, type ProbeOutcome } from "@/lib/db/vocabulary";
import { deployedImageIds, polledFacts, shownSince, shownState } from "@/lib/health/queries";
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

const STATE_ORDER: HealthState[] = ["down", "failing", "degraded", "unknown", "up", "not_deployed", "off"];

export async function statusPage(db: Db, now = new Date()): Promise<StatusPage> {
  const month = hourOf(now.getTime() - 30 * DAY_MS);
  const [deploy, images, rollups, open, resolved] = await Promise.all([
    getDeployTarget(db),
    db.image.findMany({
      select: { name: true, title: true, ...polledFacts, phase: { select: { number: true } }, healthStatus: { select: { state: true, since: true } } },
      orderBy: [{ phase: { number: "asc" } }, { step: "asc" }],
    }),
    db.healthRollup.findMany({ where: { hour: { gte: month, lte: now } }, select: { imageId: true, hour: true, samples: true, up: true } }),
    db.healthIncident.findMany({ where: { endedAt: null }, orderBy: [{ startedAt: "desc" }, { id: "desc" }], include: { image: { select: { name: true } } } }),
    db.healthIncident.findMany({ where: { endedAt: { not: null } }, orderBy: [{ endedAt: "desc" }, { id: "desc" }], take: RESOLVED_INCIDENTS, include: { image: { select: { name: true } } } }),
  ]);

  const deployed = await deployedImageIds(db);
  const shown = images.map((image) => ({ image, state: shownState(deploy, image, image.healthStatus, deployed) }));
  const probed = shown.filter((s) => s.state !== "off" && s.state !== "not_deployed").map((s) => s.image.id);
  const recent = await recentProbes(db, probed);

  const byImage = new Map<number, typeof rollups>();
  for (const r of rollups) {
    const list = byImage.get(r.imageId);
    if (list) list.push(r);
    else byImage.set(r.imageId, [r]);
  }
  const windowTally = (imageId: number, from: Date) => {
    let total = 0;
    let up = 0;
    for (const r of byImage.get(imageId) ?? []) if (r.hour >= from) ((total += r.samples), (up += r.up));
    return uptime(up, total);
  };

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
      uptime: {
        day: windowTally(image.id, hourOf(now.getTime() - DAY_MS)),
        week: windowTally(image.id, hourOf(now.getTime() - 7 * DAY_MS)),
        month: windowTally(image.id, month),
      },
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

/** The last HEARTBEATS probes of each image, oldest first: one indexed query per probed image. */
async function recentProbes(db: Db, imageIds: number[]): Promise<Map<number, StatusProbe[]>> {
  const rows = await Promise.all(
    imageIds.map((imageId) =>
      db.healthSample.findMany({ where: { imageId }, orderBy: [{ at: "desc" }, { id: "desc" }], take: HEARTBEATS, select: { at: true, outcome: true, httpStatus: true, latencyMs: true, error: true } }),
    ),
  );
  return new Map(
    imageIds.map((imageId, i) => [
      imageId,
      rows[i]!.reverse().map((r) => ({ at: r.at.toISOString(), outcome: isProbeOutcome(r.outcome) ? r.outcome : "error", httpStatus: r.httpStatus, latencyMs: r.latencyMs, error: r.error })),
    ]),
  );
}
