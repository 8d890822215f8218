"use client";

// Loaded on demand (next/dynamic) so Recharts stays out of the first-load bundle.
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { LatencyPoint } from "@/lib/health/queries";
import { formatUtc, timeTickFormat } from "@/lib/format";

const axis = { fontSize: 12, fill: "currentColor" };
const NAMES: Record<string, string> = { latencyMs: "Mean", maxMs: "Slowest" };

export function LatencyChart({ points }: { points: LatencyPoint[] }) {
  const data = points.map((p) => ({ ...p, t: Date.parse(p.at) }));
  // A time axis (not one label per point): ticks spread over the span, each as precise as the span needs.
  const span = data.length > 1 ? data[data.length - 1]!.t - data[0]!.t : 0;
  return (
    <div data-testid="latency-chart" className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ left: 0, right: 8, top: 8, bottom: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeOpacity={0.2} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tick={axis} tickFormatter={timeTickFormat(span)} minTickGap={40} />
          <YAxis tick={axis} unit=" ms" width={72} />
          <Tooltip
            formatter={(value, name) => [`${value} ms`, NAMES[String(name)] ?? String(name)]}
            labelFormatter={(_label, items) => {
              const p = items?.[0]?.payload as LatencyPoint | undefined;
              if (!p) return "";
              return `${formatUtc(p.at, "minute")} · ${p.samples} probe${p.samples === 1 ? "" : "s"}${p.failures ? `, ${p.failures} failed` : ""}`;
            }}
          />
          <Legend formatter={(name) => NAMES[String(name)] ?? String(name)} wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="maxMs" name="maxMs" stroke="#94a3b8" strokeDasharray="3 3" dot={false} connectNulls={false} isAnimationActive={false} />
          <Line dataKey="latencyMs" name="latencyMs" stroke="#0284c7" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
