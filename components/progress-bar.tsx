import clsx from "clsx";

export function ProgressBar({ value, max, label, className }: { value: number; max: number; label: string; className?: string }) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className={clsx("h-2 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800", className)}
    >
      <div
        className={clsx("h-full rounded-full", pct >= 100 ? "bg-emerald-500" : "bg-sky-500")}
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
