"use client";

import clsx from "clsx";
import { RelativeTime } from "@/components/ui/time";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useActionState, useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { checkNow, saveHealthTarget, type CheckNowState, type HealthTargetState } from "@/lib/actions/health";
import { IDLE } from "@/lib/actions/result";
import { HealthBadge } from "@/components/health/health-badge";
import { HeartbeatBar } from "@/components/health/heartbeat-bar";
import { HEALTH_KEY, imageHealthKey, useImageHealth } from "@/components/health/use-health";
import { useCan } from "@/components/auth/viewer";
import { describeProbe, formatUptime } from "@/lib/health/format";
import { checkedService } from "@/lib/health/outcomes";
import { formatUtc } from "@/lib/format";
import type { ImageHealthDetail } from "@/lib/health/queries";
import { CARD } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Facts } from "@/components/ui/facts";

function ChartSkeleton() {
  return <div className="h-[200px] animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-hidden />;
}
const LatencyChart = dynamic(() => import("@/components/health/latency-chart").then((m) => m.LatencyChart), { ssr: false, loading: ChartSkeleton });

const button =
  "inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-xs font-semibold shadow-sm transition disabled:cursor-wait disabled:opacity-60";

/** Refetches this image's health (and the overview's) once an action has written something. */
function useRefreshAfter(name: string, state: unknown, initial: unknown) {
  const client = useQueryClient();
  useEffect(() => {
    if (state === initial) return;
    void client.invalidateQueries({ queryKey: imageHealthKey(name) });
    void client.invalidateQueries({ queryKey: HEALTH_KEY, exact: true });
  }, [client, name, state, initial]);
}

const idleCheck: CheckNowState = { ...IDLE, outcome: null };

function CheckNowButton({ name }: { name: string }) {
  const [state, action, pending] = useActionState(checkNow, idleCheck);
  useRefreshAfter(name, state, idleCheck);
  return (
    <form action={action} className="flex flex-col items-end">
      <input type="hidden" name="image" value={name} />
      <button type="submit" disabled={pending} className={clsx(button, "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200")}>
        <span aria-hidden>⟳</span> {pending ? "Checking…" : "Check now"}
      </button>
      <p aria-live="polite" className={clsx("mt-1 max-w-xs text-right text-xs", state.error || (state.outcome && state.outcome !== "up" && checkedService(state.outcome)) ? "text-rose-700 dark:text-rose-400" : "text-slate-600 dark:text-slate-300")}>
        {state.error ?? state.message}
      </p>
    </form>
  );
}

const idleTarget: HealthTargetState = { ...IDLE, values: null };

function EditTargetForm({ detail }: { detail: ImageHealthDetail }) {
  const [state, action, pending] = useActionState(saveHealthTarget, idleTarget);
  useRefreshAfter(detail.name, state, idleTarget);
  const { target } = detail;
  const errors = state.fieldErrors;
  const id = (field: string) => `health-${detail.name}-${field}`;
  const shown = state.values ?? {
    port: target.port?.toString() ?? "",
    healthPath: target.healthPath ?? "",
    expectField: target.expect?.field ?? "",
    expectValue: target.expect?.value ?? "",
  };
  return (
    <details className="group" open={detail.offReason === "no_target" || state.status === "invalid" ? true : undefined}>
      <summary className="cursor-pointer text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">Edit target</summary>
      {/* Remounted when what it shows changes: the stored target (after a save or from elsewhere), or a refused submission. */}
      <form key={JSON.stringify(shown) + state.status} action={action} className="mt-3 grid gap-3 sm:grid-cols-2">
        <input type="hidden" name="image" value={detail.name} />
        <Field id={id("port")} label="Port" name="port" defaultValue={shown.port} error={errors.port} hint="1–65535; empty: not polled" placeholder="8090" />
        <Field id={id("path")} label="Health path" name="healthPath" defaultValue={shown.healthPath} error={errors.healthPath} hint="Starts with /, e.g. /health" placeholder="/health" />
        <Field id={id("field")} label="Expect JSON field (optional)" name="expectField" defaultValue={shown.expectField} error={errors.expectField} placeholder="status" />
        <Field id={id("value")} label="…to equal" name="expectValue" defaultValue={shown.expectValue} error={errors.expectValue} placeholder="healthy" />
        <div className="flex items-center gap-3 sm:col-span-2">
          <button type="submit" disabled={pending} className={clsx(button, "bg-sky-700 text-white hover:bg-sky-800")}>{pending ? "Saving…" : "Save target"}</button>
          {errors.image ? <p role="alert" className="text-xs text-rose-700 dark:text-rose-400">{errors.image}</p> : null}
          {state.message ? <p role="status" className="text-xs text-slate-600 dark:text-slate-300">{state.message}</p> : null}
        </div>
      </form>
    </details>
  );
}

const TARGET_SOURCE = {
  admin: "set by an admin for this image",
  deployment: "from the Compose file: the published port and its health check's path",
  plan: "from the plan",
} as const;

function OffNotice({ detail, canEdit }: { detail: ImageHealthDetail; canEdit: boolean }) {
  if (detail.offReason === "no_host") {
    return (
      <p className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-300">
        Health polling is off: no deployment host is set, so no service is probed.{" "}
        {canEdit ? (
          <>
            <Link href="/settings" className="font-medium text-sky-700 hover:underline dark:text-sky-400">Set the host in Settings</Link> or start the
            dashboard with <code className="font-mono">LUCID_DEPLOY_HOST</code>.
          </>
        ) : (
          "An admin can set it in Settings."
        )}
      </p>
    );
  }
  if (detail.offReason === "not_deployed") {
    return (
      <p className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-300" data-testid="not-deployed">
        {detail.basis === "deployment"
          ? "Not deployed: no service in the deployment's Compose files runs this image, so nothing answers for it."
          : "Not deployed: this image has no pushed build yet, so nothing is running to answer; it is probed once a build is pushed."}{" "}
        {canEdit ? <>If it runs anyway, save its target under <em>Edit target</em> to probe it now.</> : "An admin can set its target to probe it now."}
      </p>
    );
  }
  return (
    <p className="rounded-lg border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-300">
      {detail.basis === "deployment"
        ? "This image is not polled: its Compose service publishes no port that its health check uses (see Deployment)."
        : `This image is not polled: it has no ${detail.target.port === null ? "port" : "health path"}.`}{" "}
      {canEdit ? <>Set one under <em>Edit target</em> below.</> : "An admin can set one."}
    </p>
  );
}

/** The prober failed, not the service: say so, and that its last known state is not its state now. */
function NotCheckedNotice({ detail }: { detail: ImageHealthDetail }) {
  return (
    <p className="rounded-lg border border-slate-300 bg-slate-50 p-3 text-sm text-slate-700 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-300" data-testid="not-checked">
      Not checked since {detail.since ? formatUtc(detail.since) : "the latest probe"}: {detail.lastProbe?.error ?? "the prober could not check this service"}. How the
      service is doing now is not known; the probes before that are on the bar below, and nothing counts against it until a probe checks it again.
    </p>
  );
}

function Figures({ detail }: { detail: ImageHealthDetail }) {
  const rows: [string, React.ReactNode][] = [
    [
      "Target",
      detail.target.url ? (
        <span key="t">
          <span className="break-all font-mono">{detail.target.url}</span>
          {detail.target.source ? <span className="block text-xs text-slate-500 dark:text-slate-400" data-testid="target-source">{TARGET_SOURCE[detail.target.source]}</span> : null}
        </span>
      ) : (
        "—"
      ),
    ],
    ["Judged by", <span key="j" data-testid="judged-by">{detail.judgedBy}</span>],
    ["Uptime 24 h", <span key="d" className="tabular-nums" data-testid="uptime-24h">{formatUptime(detail.uptime24h)}</span>],
    ["Uptime 7 d", <span key="w" className="tabular-nums" data-testid="uptime-7d">{formatUptime(detail.uptime7d)}</span>],
    ["Degraded 24 h", <span key="g" className="tabular-nums" data-testid="degraded-24h">{formatUptime(detail.degraded24h)}</span>],
    ["Last probe", detail.lastProbe ? <>{describeProbe(detail.lastProbe)} · <RelativeTime at={detail.lastProbe.at} /></> : "none yet"],
    ["Last error", detail.lastError ? <span className="text-rose-700 dark:text-rose-400">{describeProbe(detail.lastError)} · <RelativeTime at={detail.lastError.at} /></span> : "none"],
  ];
  return (
    <Facts rows={rows} />
  );
}

function Incidents({ detail }: { detail: ImageHealthDetail }) {
  if (detail.incidents.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">No incidents recorded.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm dark:divide-slate-800" data-testid="health-incidents">
      {detail.incidents.map((incident) => (
        <li key={incident.id} className="py-1.5">
          <span className={clsx("font-medium", incident.endedAt ? "text-slate-700 dark:text-slate-200" : "text-rose-700 dark:text-rose-400")}>
            {incident.endedAt ? "Resolved" : "Ongoing"}
          </span>{" "}
          <span className="text-slate-600 dark:text-slate-300">{incident.kind === "degraded" ? "degraded" : "down"}</span>{" "}
          <span className="tabular-nums text-slate-500 dark:text-slate-400">
            <RelativeTime at={incident.startedAt} exact />
            {incident.endedAt ? ` → ${formatUtc(incident.endedAt)}` : ""}
          </span>
          <span className="block text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">{incident.reason}</span>
        </li>
      ))}
    </ul>
  );
}

/** The image page's health section: state, heartbeats, uptime, latency, incidents, "Check now", the target. */
export function HealthPanel({ name, initial }: { name: string; initial?: ImageHealthDetail }) {
  const { data: detail, error } = useImageHealth(name, initial);
  // Hidden from roles that may not use them; the server actions check the role again.
  const canCheck = useCan("health:check");
  const canEdit = useCan("settings:write");
  if (!detail) {
    return error ? <p role="alert" className="text-sm text-rose-700 dark:text-rose-400">Health could not be loaded: {error.message}</p> : <div className={`${CARD.padded} h-40 animate-pulse`} aria-hidden />;
  }
  // Not deployed: nothing answers, so there is nothing to check now; say why instead (its history stays below).
  const polled = detail.state !== "off" && detail.state !== "not_deployed";
  return (
    <section aria-labelledby="health-title" className="space-y-3" data-testid="health-panel">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="health-title" className="text-lg font-semibold">Health</h2>
        <span data-testid="health-state"><HealthBadge state={detail.state} since={detail.since} lastError={(detail.state === "not_checked" ? detail.lastProbe : detail.lastError)?.error ?? null} /></span>
        {polled && canCheck ? <span className="ml-auto"><CheckNowButton name={name} /></span> : null}
      </div>
      {!polled ? <OffNotice detail={detail} canEdit={canEdit} /> : null}
      {detail.state === "not_checked" ? <NotCheckedNotice detail={detail} /> : null}
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-[minmax(0,26rem)_1fr]">
        <div className={`${CARD.padded} space-y-4`}>
          <div>
            <p className="mb-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">Last {detail.heartbeats.length || "50"} probes</p>
            <HeartbeatBar probes={detail.heartbeats} />
          </div>
          <Figures detail={detail} />
          {canEdit ? <EditTargetForm detail={detail} /> : null}
        </div>
        <div className="space-y-4">
          <figure className={CARD.padded} aria-hidden>
            <figcaption className="mb-2 text-sm font-medium">Latency, last 24 h (ms)</figcaption>
            {detail.latency.some((p) => p.latencyMs !== null) ? <LatencyChart points={detail.latency} /> : <p className="py-16 text-center text-sm text-slate-500 dark:text-slate-400">No successful probes in the last 24 h.</p>}
          </figure>
          <div className={CARD.padded}>
            <h3 className="mb-2 text-sm font-medium">Recent incidents</h3>
            <Incidents detail={detail} />
          </div>
        </div>
      </div>
    </section>
  );
}
