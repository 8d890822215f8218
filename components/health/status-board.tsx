import Link from "next/link";
import { RelativeTime } from "@/components/ui/time";
import clsx from "clsx";
import { HealthBadge } from "@/components/health/health-badge";
import { HeartbeatBar } from "@/components/health/heartbeat-bar";
import { CARD } from "@/components/ui/card";
import { formatUtc } from "@/lib/format";
import { formatUptime } from "@/lib/health/format";
import { checkedService, HEALTH_STATE_LABELS, type HealthState } from "@/lib/health/outcomes";
import type { StatusPage } from "@/lib/health/status-page";

const COUNTED: { state: HealthState; className: string }[] = [
  { state: "down", className: "text-rose-700 dark:text-rose-400" },
  { state: "failing", className: "text-amber-700 dark:text-amber-400" },
  { state: "degraded", className: "text-amber-700 dark:text-amber-400" },
  { state: "up", className: "text-emerald-700 dark:text-emerald-400" },
  { state: "unknown", className: "text-slate-600 dark:text-slate-300" },
  { state: "not_deployed", className: "text-slate-500 dark:text-slate-400" },
];
/** Counted only while some service is in it: the prober failing is an exception, not a column to read every day. */
const NOT_CHECKED = { state: "not_checked" as const, className: "text-slate-700 dark:text-slate-200" };

/** The status page: counts, open incidents first, then every service with its heartbeats and uptime. */
export function StatusBoard({ page }: { page: StatusPage }) {
  const open = page.incidents.filter((i) => i.endedAt === null);
  const resolved = page.incidents.filter((i) => i.endedAt !== null);
  const listed = page.services.filter((s) => s.state !== "off");
  const counted = page.counts.not_checked > 0 ? [...COUNTED.slice(0, 3), NOT_CHECKED, ...COUNTED.slice(3)] : COUNTED;
  return (
    <div className="space-y-6">
      <dl className={clsx("grid grid-cols-3 gap-3", counted.length > 6 ? "sm:grid-cols-7" : "sm:grid-cols-6")} data-testid="status-counts">
        {counted.map(({ state, className }) => (
          <div key={state} className={`${CARD.padded} text-center`} data-state={state}>
            <dt className="text-xs text-slate-500 dark:text-slate-400">{HEALTH_STATE_LABELS[state]}</dt>
            <dd className={clsx("text-2xl font-semibold tabular-nums", page.counts[state] > 0 ? className : "text-slate-500 dark:text-slate-600")}>{page.counts[state]}</dd>
          </div>
        ))}
      </dl>

      {open.length > 0 ? (
        <section aria-labelledby="open-incidents" className={`${CARD.bare} border-rose-300 p-4 dark:border-rose-500/40`} data-testid="open-incidents">
          <h2 id="open-incidents" className="font-semibold text-rose-800 dark:text-rose-300">Open incidents</h2>
          <ul className="mt-2 space-y-2 text-sm">
            {open.map((i) => (
              <li key={i.id}>
                <Link href={`/images/${i.image}`} className="font-medium hover:underline">{i.image}</Link>{" "}
                <span className="text-slate-600 dark:text-slate-300">{i.kind} since <RelativeTime at={i.startedAt} /></span>
                <span className="block text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">{i.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="services-title" className="space-y-2">
        <h2 id="services-title" className="text-lg font-semibold">Services</h2>
        {listed.length === 0 ? (
          <p className="text-sm text-slate-500 dark:text-slate-400">No service is polled: set the deployment host in Settings, and give images a port and health path.</p>
        ) : (
          <ul className={`${CARD.bare} divide-y divide-slate-100 dark:divide-slate-800`} data-testid="status-services">
            {listed.map((s) => (
              <li key={s.name} data-service={s.name} className="grid gap-2 p-3 sm:grid-cols-[minmax(0,14rem)_auto_minmax(0,1fr)_auto] sm:items-center sm:gap-4">
                <div className="min-w-0">
                  <Link href={`/images/${s.name}`} className="block truncate font-medium hover:underline" title={s.name}>{s.title}</Link>
                  <span className="block truncate font-mono text-xs text-slate-500 dark:text-slate-400">{s.name}</span>
                </div>
                <HealthBadge state={s.state} since={s.since} lastError={(s.state === "not_checked" ? s.heartbeats.at(-1) : s.heartbeats.findLast((h) => h.outcome !== "up" && checkedService(h.outcome)))?.error ?? null} />
                <div className="min-w-0">{s.heartbeats.length > 0 ? <HeartbeatBar probes={s.heartbeats} slots={30} /> : <span className="text-xs text-slate-500 dark:text-slate-400">no probes yet</span>}</div>
                <p className="flex gap-3 text-xs tabular-nums text-slate-600 dark:text-slate-300" aria-label="Uptime">
                  <span title="Uptime over the last 24 hours">24 h {formatUptime(s.uptime.day)}</span>
                  <span title="Uptime over the last 7 days">7 d {formatUptime(s.uptime.week)}</span>
                  <span title="Uptime over the last 30 days">30 d {formatUptime(s.uptime.month)}</span>
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      {resolved.length > 0 ? (
        <section aria-labelledby="resolved-incidents" className="space-y-2">
          <h2 id="resolved-incidents" className="text-lg font-semibold">Resolved incidents</h2>
          <ul className={`${CARD.bare} divide-y divide-slate-100 text-sm dark:divide-slate-800`}>
            {resolved.map((i) => (
              <li key={i.id} className="p-3">
                <Link href={`/images/${i.image}`} className="font-medium hover:underline">{i.image}</Link>{" "}
                <span className="text-slate-500 dark:text-slate-400">
                  {i.kind} · <RelativeTime at={i.startedAt} exact /> → {formatUtc(i.endedAt!)}
                </span>
                <span className="block text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">{i.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
