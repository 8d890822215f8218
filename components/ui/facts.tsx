import clsx from "clsx";
import type { ReactNode } from "react";

/** Label and value pairs, two columns on every width; long values wrap anywhere rather than widen the page. */
export function Facts({ rows, labelWidth = "7rem", className }: { rows: [string, ReactNode][]; labelWidth?: string; className?: string }) {
  return (
    <dl className={clsx("grid gap-x-4 gap-y-1.5 text-sm", className)} style={{ gridTemplateColumns: `${labelWidth} 1fr` }}>
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
          <dd className="min-w-0 [overflow-wrap:anywhere]">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
