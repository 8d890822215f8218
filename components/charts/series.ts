import { REPORTED_SERIES } from "@/lib/views/figures";

const COLORS: Record<string, string> = {
  "build-time": "#0284c7",
  "linux/arm64": "#0ea5e9",
  "linux/amd64": "#8b5cf6",
  [REPORTED_SERIES]: "#94a3b8",
};
const FALLBACK = ["#14b8a6", "#f59e0b", "#ec4899", "#84cc16"];

export function seriesColor(name: string): string {
  return COLORS[name] ?? FALLBACK[[...name].reduce((h, c) => h + c.charCodeAt(0), 0) % FALLBACK.length]!;
}

export function seriesLabel(name: string): string {
  return name === REPORTED_SERIES ? "reported (platform not stated)" : name;
}
