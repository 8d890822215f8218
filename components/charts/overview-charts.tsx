"use client";

// Loaded on demand (next/dynamic) so Recharts stays out of the first-load bundle.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REPORTED_SERIES, type ImageFigures } from "@/lib/views/figures";
import { seriesColor, seriesLabel } from "@/components/charts/series";

const ROW = 26;
const axis = { fontSize: 12, fill: "currentColor" };

function chartHeight(rows: number) {
  return Math.max(120, rows * ROW + 60);
}

export function BuildTimeChart({ figures }: { figures: ImageFigures[] }) {
  const data = figures.filter((f) => f.minutes !== null);
  return (
    <div data-testid="build-time-chart" className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={chartHeight(data.length)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid horizontal={false} strokeOpacity={0.2} />
          <XAxis type="number" tick={axis} unit=" min" />
          <YAxis type="category" dataKey="title" tick={axis} width={170} interval={0} />
          <Tooltip formatter={(value) => [`${value} min`, "Build time"]} cursor={{ fillOpacity: 0.08 }} />
          <Bar dataKey="minutes" name="Build time" fill={seriesColor("build-time")} radius={[0, 4, 4, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ImageSizeChart({ figures, series }: { figures: ImageFigures[]; series: string[] }) {
  const data = figures
    .filter((f) => Object.keys(f.megabytes).length > 0)
    .map((f) => ({ title: f.title, ...f.megabytes }));
  const rowsPerImage = Math.max(1, series.length);
  return (
    <div data-testid="image-size-chart" className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={chartHeight(data.length * Math.min(rowsPerImage, 2))}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 24, top: 8, bottom: 8 }}>
          <CartesianGrid horizontal={false} strokeOpacity={0.2} />
          <XAxis type="number" tick={axis} unit=" MB" />
          <YAxis type="category" dataKey="title" tick={axis} width={170} interval={0} />
          <Tooltip formatter={(value, name) => [`${value} MB`, seriesLabel(String(name))]} cursor={{ fillOpacity: 0.08 }} />
          <Legend formatter={(name) => seriesLabel(String(name))} wrapperStyle={{ fontSize: 12 }} />
          {series.map((s) => (
            <Bar
              key={s}
              dataKey={s}
              name={s}
              fill={seriesColor(s)}
              radius={[0, 4, 4, 0]}
              isAnimationActive={false}
              fillOpacity={s === REPORTED_SERIES ? 0.6 : 1}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
