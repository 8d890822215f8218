// How figures and times read, everywhere: durations, sizes, commands, UTC times and "how long ago".

/** "12.5 min", "45 s", "1 h 05 min"; null reads as an em dash so missing figures never look like zero. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  const seconds = ms / 1000;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = seconds / 60;
  if (minutes < 60) return `${Number(minutes.toFixed(1))} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(Math.round(minutes % 60)).padStart(2, "0")} min`;
}

/** Decimal units, as `docker images` and Docker Hub report sizes. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${Number((bytes / 1e3).toFixed(1))} kB`;
  if (bytes < 1e9) return `${Number((bytes / 1e6).toFixed(1))} MB`;
  return `${Number((bytes / 1e9).toFixed(2))} GB`;
}

/** An argv shown as a copy-pasteable shell line; quoting is for display only, nothing runs through a shell. */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(" ");
}

/**
 * An ISO time or Date as UTC, to the minute ("2026-01-02 10:15 UTC") or the second ("2026-01-02 10:15:00 UTC");
 * `compact` for terminal tables ("2026-01-02 10:15Z").
 */
export function formatUtc(time: string | Date, precision: "minute" | "second" = "second", compact = false): string {
  const iso = typeof time === "string" ? time : time.toISOString();
  return `${iso.slice(0, precision === "minute" ? 16 : 19).replace("T", " ")}${compact ? "Z" : " UTC"}`;
}

/** How long ago, coarsely: "just now", "45 s", "12 min", "3 h", "2 d". */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

export type DurationScale = { unit: "s" | "min" | "h"; /** Milliseconds per unit. */ per: number };

/** The unit a chart of these durations reads best in: seconds for short builds, minutes, hours for long ones. */
export function durationScale(durationsMs: readonly number[]): DurationScale {
  const longest = Math.max(0, ...durationsMs);
  if (longest < 120_000) return { unit: "s", per: 1000 };
  if (longest < 3 * 3_600_000) return { unit: "min", per: 60_000 };
  return { unit: "h", per: 3_600_000 };
}

/** A chart value read to the precision it needs: 3 significant digits, so a 3 s build beside a 2 min one is 0.05, not 0. */
export function chartValue(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(value >= 100 ? Math.ceil(Math.log10(value)) : 3));
}

/** A duration in a chart's unit. */
export function inScale(ms: number, scale: DurationScale): number {
  return chartValue(ms / scale.per);
}

export type SizeScale = { unit: "B" | "kB" | "MB" | "GB"; /** Bytes per unit (decimal, as registries report). */ per: number };

/** The unit a chart of these sizes reads best in: kB for the tiny test images, MB for most, GB for the big ones. */
export function sizeScale(bytes: readonly number[]): SizeScale {
  const largest = Math.max(0, ...bytes);
  if (largest < 1e3) return { unit: "B", per: 1 };
  if (largest < 1e6) return { unit: "kB", per: 1e3 };
  if (largest < 1e9) return { unit: "MB", per: 1e6 };
  return { unit: "GB", per: 1e9 };
}

/**
 * Labels for a time axis spanning `spanMs`, precise enough that neighbouring ticks differ: seconds under ten
 * minutes, minutes under two days, then dates. UTC, like every time on the dashboard.
 */
export function timeTickFormat(spanMs: number): (ms: number) => string {
  const precision = spanMs < 600_000 ? [11, 19] : spanMs < 2 * 86_400_000 ? [11, 16] : [5, 10];
  return (ms) => new Date(ms).toISOString().slice(precision[0], precision[1]);
}

/** "3 min ago", "just now": for reading at a glance; the exact UTC time goes beside it on hover (components/ui/time). */
export function formatRelative(iso: string, now: number): string {
  const ago = formatAgo(iso, now);
  return ago === "just now" ? ago : `${ago} ago`;
}
