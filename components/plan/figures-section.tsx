"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { memo, useMemo, useState } from "react";
import clsx from "clsx";
import type { PlanOverview } from "@/lib/views/overview";
import { imageFigures, missingFigures, sizeSeries, type ImageFigures } from "@/lib/views/figures";
import { formatBytes, formatDuration } from "@/lib/format";
import { seriesLabel } from "@/components/charts/series";
import { CARD } from "@/components/ui/card";

function ChartSkeleton() {
  return <div className="h-48 animate-pulse rounded-lg bg-slate-100 dark:bg-slate-800" aria-hidden />;
}

const BuildTimeChart = dynamic(() => import("@/components/charts/overview-charts").then((m) => m.BuildTimeChart), {
  ssr: false,
  loading: ChartSkeleton,
});
const ImageSizeChart = dynamic(() => import("@/components/charts/overview-charts").then((m) => m.ImageSizeChart), {
  ssr: false,
  loading: ChartSkeleton,
});

function FiguresTable({ figures, series, className }: { figures: ImageFigures[]; series: string[]; className?: string }) {
  return (
    <div className={clsx("overflow-x-auto", className)}>
      <table className="w-full text-left text-sm" data-testid="figures-table">
        <caption className="sr-only">Build time and compressed image size per image, from its latest successful build</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">Image</th>
            <th scope="col" className="py-2 pr-3 font-medium">Phase</th>
            <th scope="col" className="py-2 pr-3 text-right font-medium">Build time</th>
            {series.map((s) => (
              <th key={s} scope="col" className="py-2 pr-3 text-right font-medium">{seriesLabel(s)}</th>
            ))}
            <th scope="col" className="py-2 font-medium">Build</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {figures.map((f) => (
            <tr key={f.name} data-image={f.name}>
              <th scope="row" className="py-1.5 pr-3 font-medium"><Link href={`/images/${f.name}`} className="hover:underline">{f.title}</Link></th>
              <td className="py-1.5 pr-3 tabular-nums">{f.phase}</td>
              <td className="py-1.5 pr-3 text-right tabular-nums">{formatDuration(f.durationMs)}</td>
              {series.map((s) => (
                <td key={s} className="py-1.5 pr-3 text-right tabular-nums">{formatBytes(f.sizes[s])}</td>
              ))}
              <td className="py-1.5">
                {f.buildId ? <Link href={`/builds/${f.buildId}`} className="text-sky-700 hover:underline dark:text-sky-400">#{f.buildId}</Link> : <span className="text-slate-500 dark:text-slate-400">never built</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the chart leaves out, said plainly: "4 of 35 images shown", and which are missing, per phase. */
function Coverage({ figures, has, what }: { figures: ImageFigures[]; has: (f: ImageFigures) => boolean; what: string }) {
  const missing = missingFigures(figures, has);
  const absent = missing.reduce((n, m) => n + m.titles.length, 0);
  if (absent === 0) return null;
  return (
    <details className="mt-2 text-xs text-slate-600 dark:text-slate-300" data-testid="chart-coverage">
      <summary className="cursor-pointer">
        {figures.length - absent} of {figures.length} images shown; {absent} have no successful build with {what} yet
      </summary>
      <ul className="mt-1 space-y-0.5 pl-4">
        {missing.map((m) => (
          <li key={m.phase}><span className="font-medium">Phase {m.phase}:</span> {m.titles.join(", ")}</li>
        ))}
      </ul>
    </details>
  );
}

function FiguresSectionImpl({ plan }: { plan: PlanOverview }) {
  const [phase, setPhase] = useState<number | null>(null);
  const [view, setView] = useState<"chart" | "table">("chart");
  const figures = useMemo(() => imageFigures(plan, phase), [plan, phase]);
  const series = useMemo(() => sizeSeries(figures), [figures]);
  const timed = figures.filter((f) => f.durationMs !== null);
  const sized = figures.filter((f) => Object.keys(f.sizes).length > 0);

  const toggle = (active: boolean) =>
    clsx(
      "rounded-md px-3 py-1 text-sm",
      active ? "bg-white shadow-sm dark:bg-slate-700" : "text-slate-600 hover:text-slate-900 dark:text-slate-300",
    );

  return (
    <section aria-labelledby="figures-title" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="figures-title" className="text-lg font-semibold">Build time and image size</h2>
        <div className="flex flex-wrap items-center gap-3">
          <label className="flex items-center gap-2 text-sm">
            <span className="text-slate-600 dark:text-slate-300" aria-hidden>Phase</span>
            <select
              aria-label="Filter by phase"
              value={phase ?? ""}
              onChange={(e) => setPhase(e.target.value === "" ? null : Number(e.target.value))}
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
            >
              <option value="">All phases</option>
              {plan.phases.map((p) => (
                <option key={p.number} value={p.number}>{p.name}: {p.category}</option>
              ))}
            </select>
          </label>
          <div role="group" aria-label="View" className="flex rounded-lg bg-slate-100 p-0.5 dark:bg-slate-800">
            <button type="button" aria-pressed={view === "chart"} onClick={() => setView("chart")} className={toggle(view === "chart")}>Chart</button>
            <button type="button" aria-pressed={view === "table"} onClick={() => setView("table")} className={toggle(view === "table")}>Table</button>
          </div>
        </div>
      </div>

      {view === "chart" ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <figure className={CARD.padded}>
            <figcaption className="mb-2 text-sm font-medium">Build time, latest successful build</figcaption>
            <div aria-hidden>
              {timed.length > 0 ? <BuildTimeChart figures={figures} /> : <p className="py-10 text-center text-sm text-slate-600 dark:text-slate-300">No build times recorded for these images yet.</p>}
            </div>
            <Coverage figures={figures} has={(f) => f.durationMs !== null} what="a build time" />
          </figure>
          <figure className={CARD.padded}>
            <figcaption className="mb-2 text-sm font-medium">Compressed image size per platform</figcaption>
            <div aria-hidden>
              {sized.length > 0 ? <ImageSizeChart figures={figures} series={series} /> : <p className="py-10 text-center text-sm text-slate-600 dark:text-slate-300">No image sizes recorded for these images yet.</p>}
            </div>
            <Coverage figures={figures} has={(f) => Object.keys(f.sizes).length > 0} what="a size" />
          </figure>
        </div>
      ) : null}
      {/* The same figures as a table: always there for screen readers, shown when "Table" is chosen. */}
      <div className={view === "table" ? CARD.padded : "sr-only"}>
        <FiguresTable figures={figures} series={series} />
      </div>
    </section>
  );
}

export const FiguresSection = memo(FiguresSectionImpl);
