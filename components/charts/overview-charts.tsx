"use client";

// Loaded on demand (next/dynamic) so Recharts stays out of the first-load bundle.
// The figures table beside them carries the same numbers for screen readers (no accessibility layer here).
import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { REPORTED_SERIES, type ImageFigures } from "@/lib/views/figures";
import { seriesColor, seriesLabel } from "@/components/charts/series";
import { chartValue, durationScale, formatDuration, inScale, sizeScale } from "@/lib/format";
import { useSyncExternalStore } from "react";

const NARROW = "(max-width: 640px)";
/** Phones get a narrower name column (names cut with an ellipsis, whole in the tooltip and the table). */
function useNameWidth(): { width: number; cut: (name: string) => string } {
  const narrow = useSyncExternalStore(
    (change) => {
      const query = window.matchMedia(NARROW);
      query.addEventListener("change", change);
      return () => query.removeEventListener("change", change);
    },
    () => window.matchMedia(NARROW).matches,
    () => false,
  );
  const max = narrow ? 14 : 26;
  return { width: narrow ? 100 : 170, cut: (name) => (name.length > max ? `${name.slice(0, max - 1)}…` : name) };
}

const ROW = 26;
const axis = { fontSize: 12, fill: "currentColor" };
const valueLabel = { fontSize: 11, fill: "currentColor" };

function chartHeight(rows: number) {
  return Math.max(120, rows * ROW + 60);
}

export function BuildTimeChart({ figures }: { figures: ImageFigures[] }) {
  const names = useNameWidth();
  const timed = figures.filter((f) => f.durationMs !== null);
  const scale = durationScale(timed.map((f) => f.durationMs!));
  const data = timed.map((f) => ({ title: f.title, value: inScale(f.durationMs!, scale), text: formatDuration(f.durationMs) }));
  return (
    <div data-testid="build-time-chart" data-unit={scale.unit} className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={chartHeight(data.length)}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 56, top: 8, bottom: 8 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} strokeOpacity={0.2} />
          <XAxis type="number" tick={axis} unit={` ${scale.unit}`} />
          <YAxis type="category" dataKey="title" tick={axis} width={names.width} interval={0} tickFormatter={names.cut} />
          <Tooltip formatter={(_value, _name, item) => [item.payload.text, "Build time"]} cursor={{ fillOpacity: 0.08 }} />
          <Bar dataKey="value" name="Build time" fill={seriesColor("build-time")} radius={[0, 4, 4, 0]} maxBarSize={22} isAnimationActive={false}>
            <LabelList dataKey="text" position="right" style={valueLabel} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function ImageSizeChart({ figures, series }: { figures: ImageFigures[]; series: string[] }) {
  const names = useNameWidth();
  const sized = figures.filter((f) => Object.keys(f.sizes).length > 0);
  const scale = sizeScale(sized.flatMap((f) => Object.values(f.sizes)));
  const data = sized.map((f) => ({ title: f.title, ...Object.fromEntries(Object.entries(f.sizes).map(([s, bytes]) => [s, chartValue(bytes / scale.per)])) }));
  const rowsPerImage = Math.max(1, series.length);
  return (
    <div data-testid="image-size-chart" data-unit={scale.unit} className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={chartHeight(data.length * Math.min(rowsPerImage, 2))}>
        <BarChart data={data} layout="vertical" margin={{ left: 8, right: 64, top: 8, bottom: 8 }} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} strokeOpacity={0.2} />
          <XAxis type="number" tick={axis} unit={` ${scale.unit}`} />
          <YAxis type="category" dataKey="title" tick={axis} width={names.width} interval={0} tickFormatter={names.cut} />
          <Tooltip formatter={(value, name) => [`${value} ${scale.unit}`, seriesLabel(String(name))]} cursor={{ fillOpacity: 0.08 }} />
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
              maxBarSize={18}
            >
              <LabelList dataKey={s} position="right" style={valueLabel} formatter={(v) => (v == null ? "" : `${v} ${scale.unit}`)} />
            </Bar>
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
