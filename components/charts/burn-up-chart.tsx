"use client";

// Loaded on demand (next/dynamic) so Recharts stays out of the first-load bundle. The sentence above the chart says
// what it shows (pushed, required, projection) for screen readers, so the chart itself is hidden from them.
import { CartesianGrid, Legend, Line, LineChart, ReferenceDot, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { BurnUp } from "@/lib/views/burn-up";
import { formatUtc, timeTickFormat } from "@/lib/format";

const axis = { fontSize: 12, fill: "currentColor" };
const NAMES: Record<string, string> = { pushed: "Pushed", projected: "Projected" };

export function BurnUpChart({ burnUp, now }: { burnUp: BurnUp; now: number }) {
  const pushedAt = burnUp.points.map((p) => ({ t: Date.parse(p.at), pushed: p.pushed as number | null, projected: null as number | null }));
  // The line starts at the undated pushes, a little before the first dated one, and runs flat to now.
  const start = pushedAt.length > 0 ? pushedAt[0]!.t - Math.max(300_000, (now - pushedAt[0]!.t) * 0.1) : now - 86_400_000;
  const data = [{ t: start, pushed: burnUp.undated, projected: null as number | null }, ...pushedAt, { t: now, pushed: burnUp.pushed, projected: null as number | null }];
  if (burnUp.projection.ok) {
    data[data.length - 1]!.projected = burnUp.pushed;
    data.push({ t: Date.parse(burnUp.projection.at), pushed: null, projected: burnUp.required });
  }
  const end = data[data.length - 1]!.t;
  return (
    <div data-testid="burn-up-chart" className="text-slate-600 dark:text-slate-300">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={data} margin={{ left: 0, right: 16, top: 16, bottom: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} strokeOpacity={0.2} />
          <XAxis dataKey="t" type="number" scale="time" domain={[start, end]} tick={axis} tickFormatter={timeTickFormat(end - start)} minTickGap={48} />
          <YAxis tick={axis} domain={[0, burnUp.required]} allowDecimals={false} width={40} />
          <Tooltip
            formatter={(value, name) => [`${value} of ${burnUp.required}`, NAMES[String(name)] ?? String(name)]}
            labelFormatter={(t) => formatUtc(new Date(Number(t)), "minute")}
          />
          <Legend formatter={(name) => NAMES[String(name)] ?? String(name)} wrapperStyle={{ fontSize: 12 }} />
          <ReferenceLine y={burnUp.required} stroke="#64748b" strokeDasharray="4 4" label={{ value: `${burnUp.required} required`, position: "insideTopLeft", fontSize: 11, fill: "currentColor" }} />
          <Line type="stepAfter" dataKey="pushed" stroke="#0284c7" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          {burnUp.projection.ok ? (
            <Line type="linear" dataKey="projected" stroke="#0284c7" strokeDasharray="6 4" strokeWidth={2} dot={false} connectNulls isAnimationActive={false} />
          ) : null}
          {burnUp.deployedNow !== null ? (
            <ReferenceDot x={now} y={burnUp.deployedNow} r={5} fill="#10b981" stroke="none" label={{ value: `${burnUp.deployedNow} deployed`, position: "left", fontSize: 11, fill: "currentColor" }} />
          ) : null}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
