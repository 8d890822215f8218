"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { BuildRecord } from "@/lib/builds/record";
import { isActiveBuildStatus } from "@/lib/db/vocabulary";
import { getJson, REFRESH_MS } from "@/components/live/queries";
import { ImageStateBadge } from "@/components/status-badge";
import { CancelButton, RebuildButton } from "@/components/builds/action-buttons";
import { LogViewer } from "@/components/builds/log-viewer";
import { displayCommand, formatBytes, formatDuration } from "@/lib/format";
import { CARD } from "@/components/ui/card";
import { Elapsed, RelativeTime } from "@/components/ui/time";

const missing = <span className="text-slate-500 dark:text-slate-400">not recorded</span>;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 px-4 py-3 sm:grid-cols-[12rem_1fr] sm:gap-4">
      <dt className="text-sm text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

function useBuild(initial: BuildRecord) {
  return useQuery({
    queryKey: ["build", initial.id],
    queryFn: () => getJson<BuildRecord>(`/api/builds/${initial.id}`),
    initialData: initial,
    refetchInterval: (query) => (isActiveBuildStatus(query.state.data?.status ?? "") ? 1000 : REFRESH_MS * 10),
  });
}

function RegistryEvidence({ build }: { build: BuildRecord }) {
  if (build.sizes.length === 0) return null;
  return (
    <section aria-labelledby="registry-title" className="space-y-2">
      <h2 id="registry-title" className="text-lg font-semibold">What reached the registry</h2>
      <div className={CARD.table}>
        <table className="w-full text-left text-sm" data-testid="registry-table">
          <caption className="sr-only">Platforms read back from the registry after the push</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Platform</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Compressed size</th>
              <th scope="col" className="px-4 py-2 font-medium">User</th>
              <th scope="col" className="px-4 py-2 font-medium">Health check</th>
              <th scope="col" className="px-4 py-2 font-medium">Manifest digest</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
            {build.sizes.map((s) => (
              <tr key={s.platform} data-platform={s.platform}>
                <th scope="row" className="px-4 py-2 font-mono font-medium">{s.platform}</th>
                <td className="px-4 py-2 text-right tabular-nums">{formatBytes(s.compressedBytes)}</td>
                <td className="px-4 py-2 font-mono">{s.config ? (s.config.user ?? "root (unset)") : "—"}</td>
                <td className="px-4 py-2 font-mono text-xs">{s.config ? (s.config.healthcheck ? s.config.healthcheck.join(" ") : "none") : "—"}</td>
                <td className="max-w-xs truncate px-4 py-2 font-mono text-xs" title={s.digest ?? undefined}>{s.digest ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function BuildView({ initial }: { initial: BuildRecord }) {
  const { data: build } = useBuild(initial);
  const active = isActiveBuildStatus(build.status);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
        <Link href="/" className="hover:underline">Overview</Link>
        <span aria-hidden> / </span>
        <Link href={`/#phase-${build.image.phase.number}`} className="hover:underline">{build.image.phase.name}</Link>
        <span aria-hidden> / </span>
        <Link href={`/images/${build.image.name}`} className="hover:underline">{build.image.name}</Link>
      </nav>

      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold tracking-tight">
              Build #{build.id} <span className="font-normal text-slate-500 dark:text-slate-400">of {build.image.title}</span>
            </h1>
            <span data-testid="build-state"><ImageStateBadge state={build.state} /></span>
          </div>
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="build-summary">
            {build.status}
            {build.pushed ? ", pushed" : ""}
            {build.durationMs !== null ? ` in ${formatDuration(build.durationMs)}` : ""}
            {active && build.startedAt ? <> for <Elapsed since={build.startedAt} /></> : null}
            {build.finishedAt ? <>, finished <RelativeTime at={build.finishedAt} /></> : null}
            {build.startedBy ? ` · started by ${build.startedBy}` : ""}
            {build.cancelRequestedAt && active ? " · cancelling…" : ""}
          </p>
          {build.failureReason ? (
            <p role="alert" className="max-w-3xl text-sm text-rose-700 dark:text-rose-400" data-testid="failure-reason">{build.failureReason}</p>
          ) : null}
        </div>
        <div className="flex items-start gap-2">
          {active ? <CancelButton id={build.id} image={build.image.name} /> : null}
          {!active && build.source !== "imported" ? <RebuildButton image={build.image.name} tone={build.status === "succeeded" ? "quiet" : "primary"} /> : null}
        </div>
      </div>

      {build.evidence ? (
        <aside className="rounded-xl border border-amber-300/60 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-500/10 dark:text-amber-200">
          <p className="font-medium">Imported record</p>
          <p className="mt-1">This build was not observed by the dashboard. Its figures are quoted from: {build.evidence}</p>
        </aside>
      ) : null}

      {build.logIncomplete ? (
        <p role="status" className="rounded-xl border border-amber-300/60 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-500/10 dark:text-amber-200" data-testid="log-incomplete">
          {build.logIncomplete}
        </p>
      ) : null}

      {build.hasLog || active ? <LogViewer buildId={build.id} active={active} failed={build.status === "failed"} /> : null}

      <RegistryEvidence build={build} />

      <dl className={`${CARD.bare} divide-y divide-slate-100 dark:divide-slate-800`}>
        <Row label="Status">{build.status}{build.pushed ? ", pushed" : ""}{build.exitCode !== null ? ` (exit code ${build.exitCode})` : ""}</Row>
        <Row label="Source">{build.source}{build.startedBy ? ` (${build.startedBy})` : ""}</Row>
        <Row label="Queued">{build.queuedAt ? <RelativeTime at={build.queuedAt} exact /> : missing}</Row>
        <Row label="Started">{build.startedAt ? <RelativeTime at={build.startedAt} exact /> : active ? "waiting for a worker" : missing}</Row>
        <Row label="Finished">{build.finishedAt ? <RelativeTime at={build.finishedAt} exact /> : active ? "still running" : missing}</Row>
        <Row label="Duration">
          {build.durationMs !== null ? formatDuration(build.durationMs) : active && build.startedAt ? <><Elapsed since={build.startedAt} /> so far</> : missing}
        </Row>
        <Row label="Reported size">{build.reportedSizeBytes === null ? missing : formatBytes(build.reportedSizeBytes)}</Row>
        <Row label="Per-platform size">
          {build.sizes.length === 0
            ? missing
            : build.sizes.map((s) => <span key={s.platform} className="mr-4 font-mono">{s.platform}: {formatBytes(s.compressedBytes)}</span>)}
        </Row>
        <Row label="Platforms">{build.platforms.length ? <span className="font-mono">{build.platforms.join(", ")}</span> : missing}</Row>
        <Row label="Tags">{build.tags.length ? <ul className="space-y-0.5 font-mono">{build.tags.map((t) => <li key={t}>{t}</li>)}</ul> : missing}</Row>
        <Row label="Digest">{build.digest ? <span className="break-all font-mono">{build.digest}</span> : missing}</Row>
        <Row label="Builder">{build.builder ?? missing}</Row>
        <Row label="Command">
          {build.argv ? (
            <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100">{displayCommand(build.argv)}</pre>
          ) : missing}
        </Row>
      </dl>
    </div>
  );
}
