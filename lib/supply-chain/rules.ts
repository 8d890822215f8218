// The supply-chain rules: evidence of the latest pushed build: its attestations and signature as read from the registry
// (lib/supply-chain/summary.ts) and its bases' freshness (lib/supply-chain/freshness.ts). Four rules, each a
// pure function of that evidence; without a read they are "not checked", never passed.
import type { Verdict } from "@/lib/compliance/rules/rule";
import { listed } from "@/lib/compliance/rules/rule";
import type { Finding, Severity } from "@/lib/compliance/types";
import type { Freshness } from "@/lib/supply-chain/freshness";
import type { PlatformAttestations, SupplyChainSummary } from "@/lib/supply-chain/summary";

export type SupplyChainEvidence = {
  /** The latest pushed build, or null when there is none. */
  buildId: number | null;
  /** The last read of its registry artifacts; null when never read. */
  read: { error: string | null; summary: SupplyChainSummary | null } | null;
  freshness: Freshness[];
  /** Why the Dockerfile named no bases, when it could not be read. */
  dockerfileProblem: string | null;
  /** Why the latest push's registry is not read at all, or null. */
  notRead?: string | null;
};

type SupplyChainRule = { id: string; severity: Severity; summary: string; check(evidence: SupplyChainEvidence): Verdict };

/** Wraps a check that needs the registry read; without one the rule is not checked, saying why. */
function withSummary(check: (summary: SupplyChainSummary) => Verdict): (evidence: SupplyChainEvidence) => Verdict {
  return ({ buildId, read, notRead }) => {
    if (buildId === null) return { status: "n/a", message: "no pushed build yet: nothing to read from the registry" };
    if (!read && notRead) return { status: "n/a", message: `not checked: build #${buildId} was ${notRead}` };
    if (!read) return { status: "n/a", message: `the attestations of build #${buildId} have not been read yet (Check now on the Base images page)` };
    if (!read.summary) return { status: "n/a", message: `not checked: the registry could not be read (${read.error ?? "no summary"})` };
    return check(read.summary);
  };
}

// attestations-present (warning): every platform has an SBOM and a provenance attestation.
const attestationsPresent: SupplyChainRule = {
  id: "attestations-present",
  severity: "warning",
  summary: "every pushed platform has an SBOM and a provenance attestation",
  check: withSummary(({ platforms }) => {
    const lacking = platforms.filter((p) => !p.sbom || !p.provenance);
    if (platforms.length === 0) return { status: "fail", message: "the pushed image lists no platforms to attest" };
    if (lacking.length > 0) return { status: "fail", message: `${listed(lacking.map(missingOf))} (buildx: --sbom=true --provenance=mode=max)` };
    return { status: "pass", message: `SBOM and provenance for ${platforms.map((p) => p.platform).join(", ")}` };
  }),
};

function missingOf(p: PlatformAttestations): string {
  const missing = [p.sbom ? null : "SBOM", p.provenance ? null : "provenance"].filter(Boolean);
  return `${p.platform} has no ${missing.join(" and no ")}`;
}

// signed (warning): a cosign signature for the pushed digest that verifies with the configured key.
const signed: SupplyChainRule = {
  id: "signed",
  severity: "warning",
  summary: "the pushed image has a cosign signature that verifies with LUCID_COSIGN_PUBLIC_KEY",
  check: withSummary(({ signature }) => {
    if (signature.state === "verified") return { status: "pass", message: signature.detail };
    if (signature.state === "invalid") return { status: "fail", message: `invalid signature: ${signature.detail}` };
    if (signature.state === "signed") return { status: "fail", message: `signed but not verified: ${signature.detail}` };
    return { status: "fail", message: `unsigned: ${signature.detail}` };
  }),
};

// base-up-to-date (warning): the latest push was built from what every base tag points at now.
const baseUpToDate: SupplyChainRule = {
  id: "base-up-to-date",
  severity: "warning",
  summary: "the latest push was built from the current digest of every base it builds FROM",
  check: ({ buildId, freshness, dockerfileProblem }) => {
    if (buildId === null) return { status: "n/a", message: "no pushed build yet" };
    if (freshness.length === 0) {
      return { status: "n/a", message: dockerfileProblem ? `not checked: ${dockerfileProblem}` : "no base image can move (FROM scratch, or every base pinned by digest)" };
    }
    const stale = freshness.filter((f) => f.state === "stale");
    if (stale.length > 0) return { status: "fail", message: `rebuild: ${listed(stale.map((f) => `${f.base}: ${f.detail}`))}` };
    const unknown = freshness.filter((f) => f.state === "unknown");
    if (unknown.length > 0) return { status: "n/a", message: `not checked: ${listed(unknown.map((f) => `${f.base}: ${f.detail}`))}` };
    return { status: "pass", message: listed(freshness.map((f) => `${f.base}: ${f.detail}`)) };
  },
};

// sbom-copyleft (warning): no package in the runtime image's SBOM is GPL or AGPL licensed.
const sbomCopyleft: SupplyChainRule = {
  id: "sbom-copyleft",
  severity: "warning",
  summary: "the runtime image's SBOM lists no GPL or AGPL package",
  check: withSummary(({ platforms }) => {
    const sboms = platforms.filter((p) => p.sbom !== null);
    if (sboms.length === 0) return { status: "n/a", message: "not checked: the pushed image has no SBOM" };
    const flagged = sboms.find((p) => p.sbom!.copyleftCount > 0);
    if (!flagged) return { status: "pass", message: `${sboms[0]!.sbom!.packages} packages, none GPL or AGPL licensed` };
    const sbom = flagged.sbom!;
    const names = sbom.copyleft.map((c) => `${c.name}${c.version ? ` ${c.version}` : ""} (${c.license})`);
    return { status: "fail", message: `${sbom.copyleftCount} of ${sbom.packages} packages on ${flagged.platform} are GPL/AGPL: ${listed(names, ", ")}` };
  }),
};

export const SUPPLY_CHAIN_RULES: readonly SupplyChainRule[] = [attestationsPresent, signed, baseUpToDate, sbomCopyleft];

export function analyseSupplyChainEvidence(evidence: SupplyChainEvidence): Finding[] {
  return SUPPLY_CHAIN_RULES.map((rule) => {
    const verdict = rule.check(evidence);
    return { rule: rule.id, status: verdict.status, severity: rule.severity, line: null, message: verdict.message, excerpt: null, source: "registry" };
  });
}
