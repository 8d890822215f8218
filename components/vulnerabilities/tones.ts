// One set of words and tones for severities, on the overview badge and the image page alike.
import type { Tone } from "@/components/ui/tone";
import type { Severity } from "@/lib/vulnerabilities/severity";

export const SEVERITY: Record<Severity, { label: string; tone: Tone }> = {
  critical: { label: "Critical", tone: "red" },
  high: { label: "High", tone: "amber" },
  medium: { label: "Medium", tone: "sky" },
  low: { label: "Low", tone: "slate" },
  unknown: { label: "Unknown", tone: "outline" },
};

export const FIX_STATE: Record<string, string> = { fixed: "fix available", not_fixed: "no fix yet", wont_fix: "won't be fixed", unknown: "fix state unknown" };
