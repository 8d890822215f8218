"use client";

// Loaded on demand (next/dynamic) so Recharts stays out of the first-load bundle.
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { LatencyPoint } from "@/lib/health/queries";
import { formatUtc } from "@/lib/format";

const axis = { fontSize: 12, fill: "currentColor" };
const hhmm = (iso: string) => iso.slice(11, 16);

export function LatencyChart({ points }: { points: LatencyPoint[] }) {
  const data = points.map((p) => ({ ...p, label: hhmm(p.at) }));
  return (
    <div data-testid="latency-chart" className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
          <CartesianGrid vertical={false} strokeOpacity={0.2} />
          <XAxis dataKey="label" tick={axis} minTickGap={32} />
          <YAxis tick={axis} unit=" ms" width={72} />
          <Tooltip
            formatter={(value, name) => [`${value} ms`, name === "maxMs" ? "Slowest" : "Mean"]}
            labelFormatter={(_label, items) => {
              const p = items?.[0]?.payload as (LatencyPoint & { label: string }) | undefined;
              if (!p) return "";
              return `${formatUtc(p.at, "minute")} · ${p.samples} probe${p.samples === 1 ? "" : "s"}${p.failures ? `, ${p.failures} failed` : ""}`;
            }}
          />
          <Line dataKey="maxMs" name="maxMs" stroke="#94a3b8" strokeDasharray="3 3" dot={false} connectNulls={false} isAnimationActive={false} />
          <Line dataKey="latencyMs" name="latencyMs" stroke="#0284c7" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
