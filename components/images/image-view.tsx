"use client";

import dynamic from "next/dynamic";
import { RelativeTime } from "@/components/ui/time";
import Link from "next/link";
import type { ImageDetail } from "@/lib/builds/history";
import type { BuildSummary } from "@/lib/builds/summary";
import { REPORTED_SERIES } from "@/lib/views/figures";
import { useImageDetail } from "@/components/live/queries";
import { ImageProgressBadge } from "@/components/status-badge";
import { formatBytes, formatDuration } from "@/lib/format";
import { RebuildButton } from "@/components/builds/action-buttons";
import { ComplianceSection } from "@/components/compliance/compliance-section";
import { HealthPanel } from "@/components/health/health-panel";
import { DeploymentSection } from "@/components/deploy/deployment-section";
import { SupplyChainSection } from "@/components/supply-chain/supply-chain-section";
import { VulnerabilitiesSection } from "@/components/vulnerabilities/vulnerabilities-section";
import type { ImageVulnerabilities } from "@/lib/views/vulnerabilities";
import type { ImageSupplyChainView } from "@/lib/views/bases";
import type { ImageDeployment } from "@/lib/views/deployment";
import type { ImageCompliance } from "@/lib/compliance/types";
import type { ImageHealthDetail } from "@/lib/health/queries";
import { CARD } from "@/components/ui/card";
import { Facts } from "@/components/ui/facts";
import { TABLE, TableHead } from "@/components/ui/table";

function ChartSkeleton() {
  return <div className="h-[220px] animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-hidden />;
}
const DurationChart = dynamic(() => import("@/components/charts/image-charts").then((m) => m.DurationChart), { ssr: false, loading: ChartSkeleton });
const SizeChart = dynamic(() => import("@/components/charts/image-charts").then((m) => m.SizeChart), { ssr: false, loading: ChartSkeleton });


function Spec({ detail }: { detail: ImageDetail }) {
  const { image } = detail;
  const rows: [string, React.ReactNode][] = [
    ["Repository", <span key="r" className="font-mono">{image.repository}</span>],
    ["Dockerfile", <span key="d" className="font-mono">{image.dockerfile}</span>],
    ["Build context", <span key="c" className="font-mono">{image.context}</span>],
    ["Platforms", <span key="p" className="font-mono">{image.platforms.join(", ") || "—"}</span>],
    ["Tags", <ul key="t" className="font-mono">{image.tags.map((t) => <li key={t} className="break-all">{t}</li>)}</ul>],
    ["Port", image.port ?? "—"],
    ["Health path", image.healthPath ?? "—"],
    ["Runtime user", <span key="u" className="font-mono">{image.expectedUser}</span>],
  ];
  return (
    <Facts rows={rows} labelWidth="8rem" className={`${CARD.padded} gap-y-2`} />
  );
}

function sizeText(build: BuildSummary): string {
  const entries = Object.entries(build.sizes);
  if (entries.length > 0) return entries.map(([p, b]) => `${p.replace("linux/", "")} ${formatBytes(b)}`).join(" · ");
  return build.reportedSizeBytes !== null ? `${formatBytes(build.reportedSizeBytes)} (reported)` : "—";
}

function History({ detail, name }: { detail: ImageDetail; name: string }) {
  const { builds, page, pages, total } = detail.history;
  const pageLink = (p: number) => `/images/${name}${p > 1 ? `?page=${p}` : ""}`;
  return (
    <section aria-labelledby="history-title" className="space-y-3">
      <div className="flex items-baseline justify-between">
        <h2 id="history-title" className="text-lg font-semibold">Build history</h2>
        <span className="text-sm text-slate-500 dark:text-slate-400" data-testid="history-total">{total} build{total === 1 ? "" : "s"}</span>
      </div>
      <div className={`${CARD.padded} overflow-x-auto p-0`}>
        <table className="w-full text-left text-sm" data-testid="history-table">
          <caption className="sr-only">Builds of {name}, newest first</caption>
          <TableHead columns={["Build", "Status", "Finished", { label: "Duration", className: "text-right" }, "Size", "Source"]} />
          <tbody className={TABLE.body}>
            {builds.length === 0 ? (
              <tr><td colSpan={6} className="px-4 py-8 text-center text-slate-500 dark:text-slate-400">No builds recorded for this image yet.</td></tr>
            ) : builds.map((b) => (
              <tr key={b.id}>
                <th scope="row" className="px-4 py-2 font-medium"><Link href={`/builds/${b.id}`} className="text-sky-700 hover:underline dark:text-sky-400">#{b.id}</Link></th>
                <td className="px-4 py-2">{b.status}{b.pushed ? ", pushed" : ""}{b.failureReason ? <span className="block max-w-xs truncate text-xs text-rose-600 dark:text-rose-400" title={b.failureReason}>{b.failureReason}</span> : null}</td>
                <td className="whitespace-nowrap px-4 py-2 tabular-nums">{b.finishedAt ? <RelativeTime at={b.finishedAt} /> : "—"}</td>
                <td className="px-4 py-2 text-right tabular-nums">{formatDuration(b.durationMs)}</td>
                <td className="whitespace-nowrap px-4 py-2 tabular-nums">{sizeText(b)}</td>
                <td className="px-4 py-2 text-slate-600 dark:text-slate-300">{b.source}{b.startedBy ? ` · ${b.startedBy}` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pages > 1 ? (
        <nav aria-label="Build history pages" className="flex items-center justify-between text-sm">
          {page > 1 ? <Link href={pageLink(page - 1)} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">← Newer</Link> : <span />}
          <span className="text-slate-500 dark:text-slate-400">Page {page} of {pages}</span>
          {page < pages ? <Link href={pageLink(page + 1)} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Older →</Link> : <span />}
        </nav>
      ) : null}
    </section>
  );
}

type Props = { initial: ImageDetail; page: number; compliance: ImageCompliance | null; health: ImageHealthDetail | null; deployment: ImageDeployment | null; supplyChain?: ImageSupplyChainView | null; vulnerabilities?: ImageVulnerabilities | null };

export function ImageView({ initial, page, compliance, health, deployment, supplyChain = null, vulnerabilities = null }: Props) {
  const { data: detail } = useImageDetail(initial, page);
  const { image, series } = detail;
  const sizeSeries = [...new Set(series.flatMap((b) => (Object.keys(b.sizes).length ? Object.keys(b.sizes) : b.reportedSizeBytes !== null ? [REPORTED_SERIES] : [])))].sort();
  const timed = series.some((b) => b.durationMs !== null);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
        <Link href="/" className="hover:underline">Overview</Link>
        <span aria-hidden> / </span>
        <Link href={`/#phase-${image.phase.number}`} className="hover:underline">{image.phase.name}: {image.phase.category}</Link>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">{image.title}</h1>
        <span className="font-mono text-sm text-slate-500 dark:text-slate-400">{image.name}</span>
        <span data-testid="image-state"><ImageProgressBadge state={detail.state} shipped={detail.shipped} reason={detail.failureReason} /></span>
        <span className="ml-auto">
          {detail.state === "queued" || detail.state === "building" ? (
            <Link href={`/builds/${detail.history.builds[0]?.id ?? ""}`} className="text-sm font-semibold text-sky-700 hover:underline dark:text-sky-400">Watch the running build →</Link>
          ) : (
            <RebuildButton image={image.name} label={detail.state === "not_built" ? "Build" : "Rebuild"} tone={detail.state === "failed" ? "primary" : "quiet"} />
          )}
        </span>
      </div>
      {detail.failureReason ? (
        <p role="alert" className="max-w-4xl text-sm text-rose-700 [overflow-wrap:anywhere] dark:text-rose-400" data-testid="image-failure-reason">
          {detail.shipped ? "The last rebuild failed (the pushed image is still the one before it): " : "The latest build failed: "}
          {detail.failureReason}
        </p>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,22rem)_1fr]">
        <Spec detail={detail} />
        <div className="grid gap-4 xl:grid-cols-2">
          <figure className={CARD.padded} aria-hidden>
            <figcaption className="mb-2 text-sm font-medium">Build time per build, coloured by result</figcaption>
            {timed ? <DurationChart builds={series} /> : <p className="py-16 text-center text-sm text-slate-500 dark:text-slate-400">No build times recorded yet.</p>}
          </figure>
          <figure className={CARD.padded} aria-hidden>
            <figcaption className="mb-2 text-sm font-medium">Compressed size per platform</figcaption>
            {sizeSeries.length > 0 ? <SizeChart builds={series} series={sizeSeries} /> : <p className="py-16 text-center text-sm text-slate-500 dark:text-slate-400">No sizes recorded yet.</p>}
          </figure>
        </div>
      </div>
      <HealthPanel name={image.name} initial={health ?? undefined} />
      {deployment ? <DeploymentSection deployment={deployment} /> : null}
      {compliance ? <ComplianceSection compliance={compliance} /> : null}
      {vulnerabilities ? <VulnerabilitiesSection view={vulnerabilities} /> : null}
      {supplyChain ? <SupplyChainSection view={supplyChain} /> : null}
      <History detail={detail} name={image.name} />
    </div>
  );
}
