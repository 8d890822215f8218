// What the Phase 4 build summary claims, quoted, so the dashboard can set measured figures beside it.
// Types and constants only: safe in the browser.

export const SUMMARY_DOCUMENT = "spec/phase4-application-services-build-summary.md";

export type SummaryClaim = {
  /** The claimed share of images, in percent; null when the summary claims nothing measurable. */
  percent: number | null;
  /** The summary's own words; null where it says nothing on the measure. */
  quote: string | null;
};

export const BUILD_SUMMARY_CLAIMS = {
  distroless: { percent: 100, quote: "Distroless Compliance: 100%" },
  nonRoot: { percent: 100, quote: "Non-root Execution: All containers use user 65532:65532" },
  healthcheck: { percent: 100, quote: "Health Monitoring: Health check endpoints configured" },
  // No claim about pinning; the summary names the base by :latest itself.
  pinned: { percent: null, quote: "Base Image: gcr.io/distroless/python3-debian12:latest" },
  readOnly: { percent: 100, quote: "Read-only Filesystems: Compatible with distroless security model" },
  capabilities: { percent: 100, quote: "Security Hardening: Proper capability dropping and security options" },
  network: { percent: 100, quote: "Network Binding: Compatible with `lucid-pi-network` (172.20.0.0/16)" },
  // The summary says nothing of the supply chain: measured only.
  attested: { percent: null, quote: null },
  signed: { percent: null, quote: null },
  baseFresh: { percent: null, quote: null },
  noFixableCriticalHigh: { percent: null, quote: null },
} as const satisfies Record<
  "distroless" | "nonRoot" | "healthcheck" | "pinned" | "readOnly" | "capabilities" | "network" | "attested" | "signed" | "baseFresh" | "noFixableCriticalHigh",
  SummaryClaim
>;
