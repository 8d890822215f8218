// Plan-level figures from per-image findings.
import type { Finding, ImageCompliance, PlanComplianceTotals } from "@/lib/compliance/types";

type Counted = keyof PlanComplianceTotals["counts"];

const MEASURES: Record<Counted, (findings: Finding[], image: ImageCompliance) => boolean> = {
  analysed: (findings, image) => image.parseError === null && statusOf(findings, "dockerfile-present") === "pass",
  distroless: (findings) => statusOf(findings, "distroless-final-stage") === "pass",
  nonRoot: (findings) => statusOf(findings, "non-root-user") === "pass" && statusOf(findings, "image-non-root-user") !== "fail",
  expectedUser: (findings) => statusOf(findings, "expected-user") === "pass" && statusOf(findings, "image-non-root-user") !== "fail",
  healthcheck: (findings) => statusOf(findings, "healthcheck") === "pass" && statusOf(findings, "image-healthcheck") !== "fail",
  pinned: (findings) => statusOf(findings, "pinned-base") === "pass",
  readOnly: (findings) => statusOf(findings, "compose-read-only") === "pass",
  capabilities: (findings) => statusOf(findings, "compose-cap-drop-all") === "pass" && statusOf(findings, "compose-no-new-privileges") === "pass",
  network: (findings) => statusOf(findings, "compose-network") === "pass",
  attested: (findings) => statusOf(findings, "attestations-present") === "pass",
  signed: (findings) => statusOf(findings, "signed") === "pass",
  baseFresh: (findings) => statusOf(findings, "base-up-to-date") === "pass",
  noFixableCriticalHigh: (findings) => statusOf(findings, "no-fixable-critical-high") === "pass",
};

function statusOf(findings: Finding[], rule: string): Finding["status"] | undefined {
  return findings.find((f) => f.rule === rule)?.status;
}

/** Percentages over every image of the plan, rounded down so that 100 only ever means all of them. */
export function complianceTotals(images: readonly ImageCompliance[]): PlanComplianceTotals {
  const counts = { analysed: 0, distroless: 0, nonRoot: 0, expectedUser: 0, healthcheck: 0, pinned: 0, readOnly: 0, capabilities: 0, network: 0, attested: 0, signed: 0, baseFresh: 0, noFixableCriticalHigh: 0 };
  for (const image of images) {
    for (const measure of Object.keys(MEASURES) as Counted[]) {
      if (MEASURES[measure](image.findings, image)) counts[measure] += 1;
    }
  }
  const pct = (n: number) => (images.length === 0 ? 0 : Math.floor((n * 100) / images.length));
  return {
    images: images.length,
    analysed: pct(counts.analysed),
    distroless: pct(counts.distroless),
    nonRoot: pct(counts.nonRoot),
    expectedUser: pct(counts.expectedUser),
    healthcheck: pct(counts.healthcheck),
    pinned: pct(counts.pinned),
    readOnly: pct(counts.readOnly),
    capabilities: pct(counts.capabilities),
    network: pct(counts.network),
    attested: pct(counts.attested),
    signed: pct(counts.signed),
    baseFresh: pct(counts.baseFresh),
    noFixableCriticalHigh: pct(counts.noFixableCriticalHigh),
    checked: {
      dockerfiles: images.some((i) => i.findings.some((f) => f.source === "dockerfile" && f.rule === "dockerfile-present" && f.status !== "n/a")),
      compose: images.some((i) => i.findings.some((f) => f.source === "compose" && f.status !== "n/a")),
      registry: images.some((i) => i.findings.some((f) => (f.rule === "attestations-present" || f.rule === "signed") && f.status !== "n/a")),
      bases: images.some((i) => i.findings.some((f) => f.rule === "base-up-to-date" && f.status !== "n/a")),
      scans: images.some((i) => i.findings.some((f) => f.rule === "no-fixable-critical-high" && f.status !== "n/a")),
    },
    counts,
  };
}
