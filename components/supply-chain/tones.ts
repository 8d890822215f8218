// One set of words and tones for supply-chain states, on the Base images page and the image page alike.
import type { Tone } from "@/components/ui/tone";
import type { FreshnessState } from "@/lib/supply-chain/freshness";
import type { SignatureState } from "@/lib/supply-chain/signature";

export const FRESHNESS: Record<FreshnessState, { label: string; tone: Tone }> = {
  "up-to-date": { label: "Current base", tone: "green" },
  stale: { label: "Needs rebuild", tone: "amber" },
  unknown: { label: "Unknown", tone: "outline" },
};

export const SIGNATURE: Record<SignatureState, { label: string; tone: Tone }> = {
  verified: { label: "Signature verified", tone: "green" },
  signed: { label: "Signed, not verified", tone: "amber" },
  invalid: { label: "Invalid signature", tone: "red" },
  unsigned: { label: "Unsigned", tone: "amber" },
};

export const EVIDENCE = { provenance: "by its provenance", layers: "by its layers" } as const;

export { shortDigest } from "@/lib/registry/reference";
