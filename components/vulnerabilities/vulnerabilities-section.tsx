"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import Link from "next/link";
import clsx from "clsx";
import type { ImageVulnerabilities } from "@/lib/views/vulnerabilities";
import { SEVERITIES } from "@/lib/vulnerabilities/severity";
import { Badge } from "@/components/ui/badge";
import { CARD } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { TABLE, TableHead } from "@/components/ui/table";
import { FIX_STATE, SEVERITY } from "@/components/vulnerabilities/tones";

const TrendChart = dynamic(() => import("@/components/charts/vulnerability-trend-chart").then((m) => m.VulnerabilityTrendChart), {
  ssr: false,
  loading: () => <div className="h-[220px] animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-hidden />,
});

const muted = "text-slate-500 dark:text-slate-400";

/** The latest push's scan: counts with the fixable part, what changed since the push before, the trend, the list. */
export function VulnerabilitiesSection({ view }: { view: ImageVulnerabilities }) {
  const [fixableOnly, setFixableOnly] = useState(false);
  const { scan } = view;
  return (
    <section id="vulnerabilities" aria-labelledby="vulnerabilities-title" className="scroll-mt-20 space-y-3" data-testid="vulnerabilities">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="vulnerabilities-title" className="text-lg font-semibold">Vulnerabilities</h2>
        {scan ? (
          <p className={clsx("text-xs", muted)} data-testid="scan-source">
            {scan.scanner}{scan.scannerVersion ? ` ${scan.scannerVersion}` : ""} ({scan.format}) on <Link className="underline" href={`/builds/${scan.build}`}>build #{scan.build}</Link>
            {scan.scannedAt ? <>, scanned <RelativeTime at={scan.scannedAt} /></> : null}; database {scan.databaseBuiltAt ? <>of <RelativeTime at={scan.databaseBuiltAt} exact /></> : "date not in the report"}
          </p>
        ) : null}
      </div>
      {!scan ? (
        <p className={clsx(CARD.padded, "text-sm", muted)} data-testid="not-scanned">
          {view.latestPush === null
            ? "No pushed build to scan yet."
            : <>Not scanned: no report was imported for the latest push, build #{view.latestPush}. CI can send one: <code className="font-mono text-xs">POST /api/builds/{view.latestPush}/scans</code> or <code className="font-mono text-xs">npx lucid scan import --build {view.latestPush} report.json</code> (Trivy JSON, Grype JSON or SARIF).</>}
        </p>
      ) : (
        <>
          <ul className="grid grid-cols-2 gap-2 sm:grid-cols-5" aria-label="Findings by severity" data-testid="severity-counts">
            {SEVERITIES.map((s) => (
              <li key={s} className={clsx(CARD.padded, "py-3")} data-severity={s}>
                <Badge tone={SEVERITY[s].tone}>{SEVERITY[s].label}</Badge>
                <p className="mt-1 text-2xl font-semibold tabular-nums">{scan[s]}</p>
                <p className={clsx("text-xs tabular-nums", muted)}>{view.fixableBySeverity[s]} with a fix</p>
              </li>
            ))}
          </ul>
          <p className={clsx("text-xs [overflow-wrap:anywhere]", muted)}>Matched to the build: {scan.digestNote}.</p>
          <div className="grid items-start gap-4 lg:grid-cols-2">
            <Since view={view} />
            <figure className={CARD.padded} aria-label="Findings per scanned push">
              <figcaption className="mb-2 text-sm font-medium">Findings per scanned push, by severity</figcaption>
              {view.trend.length > 0 ? <div aria-hidden><TrendChart trend={view.trend} /></div> : null}
              <p className="sr-only">{view.trend.map((t) => `build ${t.build}: ${t.critical} critical, ${t.high} high, ${t.medium} medium, ${t.low} low`).join("; ")}</p>
            </figure>
          </div>
          <Findings view={view} fixableOnly={fixableOnly} onFixableOnly={setFixableOnly} />
        </>
      )}
    </section>
  );
}

function Since({ view }: { view: ImageVulnerabilities }) {
  const since = view.since;
  return (
    <div className={CARD.padded} data-testid="since">
      <h3 className="text-sm font-medium">Since the push before</h3>
      {!since ? (
        <p className={clsx("mt-1 text-sm", muted)}>No earlier push was scanned by {view.scan?.scanner ?? "this scanner"}.</p>
      ) : (
        <>
          <p className="mt-1 text-sm">
            Compared with <Link className="underline" href={`/builds/${since.build}`}>build #{since.build}</Link>:{" "}
            <span className="font-semibold text-rose-700 dark:text-rose-400" data-testid="added">{since.added.length} new</span>,{" "}
            <span className="font-semibold text-emerald-700 dark:text-emerald-400" data-testid="fixed">{since.fixed.length} fixed</span>
          </p>
          {since.added.length > 0 ? <ChangeList title="New" items={since.added} /> : null}
          {since.fixed.length > 0 ? <ChangeList title="Fixed" items={since.fixed} /> : null}
        </>
      )}
    </div>
  );
}

function ChangeList({ title, items }: { title: string; items: string[] }) {
  return (
    <details className="mt-2 text-xs">
      <summary className="cursor-pointer">{title}: {items.length}</summary>
      <ul className="mt-1 max-h-40 overflow-auto font-mono [overflow-wrap:anywhere]">
        {items.map((i) => <li key={i}>{i}</li>)}
      </ul>
    </details>
  );
}

function Findings({ view, fixableOnly, onFixableOnly }: { view: ImageVulnerabilities; fixableOnly: boolean; onFixableOnly: (v: boolean) => void }) {
  const shown = fixableOnly ? view.findings.filter((f) => f.fixState === "fixed") : view.findings;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <label className="inline-flex items-center gap-2 text-sm">
          <input type="checkbox" checked={fixableOnly} onChange={(e) => onFixableOnly(e.target.checked)} className="size-4" />
          Fixable only
        </label>
        <p className={clsx("text-xs", muted)} data-testid="findings-shown">
          {view.total > view.findings.length
            ? `${shown.length} of the first ${view.findings.length} of ${view.total} findings (critical and fixable first)`
            : `${shown.length} of ${view.total} finding${view.total === 1 ? "" : "s"}`}
        </p>
      </div>
      <div className={CARD.table} tabIndex={0} role="region" aria-label="Vulnerability findings">
        <table className="w-full text-left text-sm" data-testid="findings-table">
          <caption className="sr-only">Vulnerabilities of the latest push, critical first and fixable first within a severity</caption>
          <TableHead columns={["Severity", "Vulnerability", "Package", "Installed", "Fixed in", { label: "CVSS", className: "text-right" }, "First seen"]} />
          <tbody className={TABLE.body}>
            {shown.length === 0 ? (
              <tr><td colSpan={7} className={clsx(TABLE.td, "py-6 text-center", muted)}>{fixableOnly ? "No finding has a fix." : "No vulnerabilities."}</td></tr>
            ) : (
              shown.map((f) => (
                <tr key={`${f.vulnerabilityId} ${f.package} ${f.installed}`} data-severity={f.severity} data-fix={f.fixState}>
                  <td className={TABLE.td}><Badge tone={SEVERITY[f.severity].tone}>{SEVERITY[f.severity].label}</Badge></td>
                  <td className={clsx(TABLE.td, "whitespace-nowrap font-mono text-xs")}>
                    {f.url ? <a className="underline" href={f.url} rel="noreferrer noopener" target="_blank">{f.vulnerabilityId}</a> : f.vulnerabilityId}
                    {f.title ? <span className={clsx("block max-w-xs truncate font-sans", muted)} title={f.title}>{f.title}</span> : null}
                  </td>
                  <td className={clsx(TABLE.td, "font-mono text-xs")}>{f.package}</td>
                  <td className={clsx(TABLE.td, "font-mono text-xs")}>{f.installed || "—"}</td>
                  <td className={clsx(TABLE.td, "text-xs")}>{f.fixedIn ? <span className="font-mono">{f.fixedIn}</span> : <span className={muted}>{FIX_STATE[f.fixState] ?? f.fixState}</span>}</td>
                  <td className={clsx(TABLE.td, "text-right tabular-nums")}>{f.cvss?.toFixed(1) ?? "—"}</td>
                  <td className={clsx(TABLE.td, "whitespace-nowrap text-xs")}><RelativeTime at={f.firstSeenAt} /></td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
