"use client";

// Loaded on demand (next/dynamic) so Recharts stays out of the first-load bundle. The build history table below the
// charts carries the same figures for screen readers, so the charts are hidden from them (no accessibility layer).
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BuildSummary } from "@/lib/builds/summary";
import { REPORTED_SERIES } from "@/lib/views/figures";
import { seriesColor, seriesLabel } from "@/components/charts/series";
import { chartValue, durationScale, formatDuration, formatUtc, inScale, sizeScale, type SizeScale } from "@/lib/format";

const axis = { fontSize: 12, fill: "currentColor" };
const valueLabel = { fontSize: 11, fill: "currentColor" };
const STATUS_COLOR: Record<string, string> = { succeeded: "#10b981", failed: "#f43f5e", cancelled: "#94a3b8", interrupted: "#f59e0b" };
const STATUS_ORDER = ["succeeded", "failed", "cancelled", "interrupted"];

const label = (b: BuildSummary) => `#${b.id}`;
const when = (b: BuildSummary) => (b.finishedAt ? formatUtc(b.finishedAt, "minute") : "time not recorded");

export function DurationChart({ builds }: { builds: BuildSummary[] }) {
  const timed = builds.filter((b) => b.durationMs !== null);
  const scale = durationScale(timed.map((b) => b.durationMs!));
  const data = timed.map((b) => ({ label: label(b), value: inScale(b.durationMs!, scale), text: formatDuration(b.durationMs), status: b.status, when: when(b) }));
  // A legend for the colours actually drawn: a red bar is a failed build, not a slow one.
  const legend = STATUS_ORDER.filter((s) => data.some((d) => d.status === s));
  return (
    <div data-testid="duration-chart" data-unit={scale.unit} className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ left: 0, right: 8, top: 18, bottom: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeOpacity={0.2} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis tick={axis} unit={` ${scale.unit}`} width={64} allowDecimals={scale.unit !== "s"} />
          <Tooltip
            formatter={(_value, _name, item) => [`${item.payload.text} (${item.payload.status})`, "Build time"]}
            labelFormatter={(l, items) => `Build ${l} · ${items?.[0]?.payload?.when ?? ""}`}
            cursor={{ fillOpacity: 0.08 }}
          />
          <Bar dataKey="value" name="Build time" radius={[4, 4, 0, 0]} maxBarSize={56} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.label} fill={STATUS_COLOR[d.status] ?? "#64748b"} />
            ))}
            {data.length <= 20 ? <LabelList dataKey="text" position="top" style={valueLabel} /> : null}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <ul className="mt-1 flex flex-wrap justify-center gap-x-4 text-xs" data-testid="duration-legend">
        {legend.map((s) => (
          <li key={s} className="flex items-center gap-1.5">
            <span aria-hidden className="size-2.5 rounded-sm" style={{ backgroundColor: STATUS_COLOR[s] }} />
            {s}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function SizeChart({ builds, series }: { builds: BuildSummary[]; series: string[] }) {
  const sized = builds.filter((b) => Object.keys(b.sizes).length > 0 || b.reportedSizeBytes !== null);
  const bytesOf = (b: BuildSummary): Record<string, number> => (Object.keys(b.sizes).length > 0 ? b.sizes : { [REPORTED_SERIES]: b.reportedSizeBytes! });
  const scale: SizeScale = sizeScale(sized.flatMap((b) => Object.values(bytesOf(b))));
  const data = sized.map((b) => {
    const row: Record<string, string | number> = { label: label(b), when: when(b) };
    for (const [series, bytes] of Object.entries(bytesOf(b))) row[series] = chartValue(bytes / scale.per);
    return row;
  });
  // Recharts 3 finds its parts inside fragments: the frame both shapes share.
  const frame = (
    <>
      <CartesianGrid vertical={false} strokeOpacity={0.2} />
      <XAxis dataKey="label" tick={axis} />
      <YAxis tick={axis} unit={` ${scale.unit}`} width={64} />
      <Tooltip formatter={(value, name) => [`${value} ${scale.unit}`, seriesLabel(String(name))]} labelFormatter={(l) => `Build ${l}`} cursor={{ fillOpacity: 0.08 }} />
      <Legend formatter={(name) => seriesLabel(String(name))} wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  return (
    <div data-testid="size-chart" data-unit={scale.unit} data-shape={data.length === 1 ? "bars" : "lines"} className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={220}>
        {data.length === 1 ? (
          // One build: a line of one point is a lone dot, and two platforms' dots overlap. One labelled bar per platform.
          <BarChart data={data} margin={{ left: 0, right: 8, top: 18, bottom: 0 }} accessibilityLayer={false}>
            {frame}
            {series.map((s) => (
              <Bar key={s} dataKey={s} name={s} fill={seriesColor(s)} radius={[4, 4, 0, 0]} maxBarSize={56} isAnimationActive={false}>
                <LabelList dataKey={s} position="top" style={valueLabel} />
              </Bar>
            ))}
          </BarChart>
        ) : (
          <LineChart data={data} margin={{ left: 0, right: 8, top: 8, bottom: 0 }} accessibilityLayer={false}>
            {frame}
            {series.map((s) => (
              <Line key={s} dataKey={s} name={s} stroke={seriesColor(s)} strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
