"use client";

// Loaded on demand (next/dynamic) so Recharts stays out of the first-load bundle.
import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BuildSummary } from "@/lib/builds/summary";
import { REPORTED_SERIES } from "@/lib/views/figures";
import { seriesColor, seriesLabel } from "@/components/charts/series";
import { formatUtc } from "@/lib/format";

const axis = { fontSize: 12, fill: "currentColor" };
const STATUS_COLOR: Record<string, string> = { succeeded: "#10b981", failed: "#f43f5e", cancelled: "#94a3b8", interrupted: "#f59e0b" };

const label = (b: BuildSummary) => `#${b.id}`;
const when = (b: BuildSummary) => (b.finishedAt ? formatUtc(b.finishedAt, "minute") : "time not recorded");

export function DurationChart({ builds }: { builds: BuildSummary[] }) {
  const data = builds
    .filter((b) => b.durationMs !== null)
    .map((b) => ({ label: label(b), minutes: Math.round((b.durationMs! / 60_000) * 10) / 10, status: b.status, when: when(b) }));
  return (
    <div data-testid="duration-chart" className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
          <CartesianGrid vertical={false} strokeOpacity={0.2} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis tick={axis} unit=" min" width={64} />
          <Tooltip
            formatter={(value, _name, item) => [`${value} min (${item.payload.status})`, "Build time"]}
            labelFormatter={(l, items) => `Build ${l} · ${items?.[0]?.payload?.when ?? ""}`}
            cursor={{ fillOpacity: 0.08 }}
          />
          <Bar dataKey="minutes" name="Build time" radius={[4, 4, 0, 0]} isAnimationActive={false}>
            {data.map((d) => (
              <Cell key={d.label} fill={STATUS_COLOR[d.status] ?? "#64748b"} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function SizeChart({ builds, series }: { builds: BuildSummary[]; series: string[] }) {
  const data = builds
    .filter((b) => Object.keys(b.sizes).length > 0 || b.reportedSizeBytes !== null)
    .map((b) => {
      const row: Record<string, string | number> = { label: label(b), when: when(b) };
      for (const [platform, bytes] of Object.entries(b.sizes)) row[platform] = Math.round(bytes / 1e5) / 10;
      if (Object.keys(b.sizes).length === 0 && b.reportedSizeBytes !== null) row[REPORTED_SERIES] = Math.round(b.reportedSizeBytes / 1e5) / 10;
      return row;
    });
  return (
    <div data-testid="size-chart" className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={data} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
          <CartesianGrid vertical={false} strokeOpacity={0.2} />
          <XAxis dataKey="label" tick={axis} />
          <YAxis tick={axis} unit=" MB" width={64} />
          <Tooltip formatter={(value, name) => [`${value} MB`, seriesLabel(String(name))]} labelFormatter={(l) => `Build ${l}`} />
          <Legend formatter={(name) => seriesLabel(String(name))} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Line key={s} dataKey={s} name={s} stroke={seriesColor(s)} strokeWidth={2} dot={{ r: 3 }} connectNulls isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
