// Compliance vocabulary shared by the analyser, the API, the CLI and the UI. Types only: safe to import anywhere.

const FINDING_STATUSES = ["pass", "fail", "warn", "n/a"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

const SEVERITIES = ["error", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** scan: a vulnerability scanner's report on the latest push (lib/vulnerabilities/rule.ts). registry: the pushed image's attestations and signature, and its bases' digests (lib/compliance/supply-chain.ts). */
export type FindingSource = "dockerfile" | "image" | "compose" | "registry" | "scan";

export type Finding = {
  rule: string;
  status: FindingStatus;
  /** How much a failure of this rule matters; fixed per rule, whatever the status. */
  severity: Severity;
  /** 1-based line that decided it: in the Dockerfile, or in `file` for a compose finding; null for image evidence or a file-wide verdict. */
  line: number | null;
  message: string;
  /** The Dockerfile line(s) that decided it, as written (secret values masked); null when none did. */
  excerpt: string | null;
  source: FindingSource;
  /** For a compose finding: the Compose file its line is in. */
  file?: string | null;
};

/** What the plan says about an image, as the rules need it. */
export type CompliancePlan = {
  port: number | null;
  /** `uid:gid` or `uid`, e.g. 65532:65532. */
  expectedUser: string;
  /** e.g. ["linux/arm64", "linux/amd64"]. */
  platforms: string[];
};

export type ComplianceOptions = {
  /**
   * Final-stage bases that count as distroless. An entry ending in "/" is a prefix
   * (gcr.io/distroless/ covers every distroless image); any other entry names one image, with any tag or digest.
   */
  allowedBases: string[];
};

export const DEFAULT_EXPECTED_USER = "65532:65532";

export const DEFAULT_OPTIONS: ComplianceOptions = { allowedBases: ["gcr.io/distroless/", "scratch"] };

export type DockerfileAnalysis = {
  findings: Finding[];
  /** Why the text could not be analysed (empty, not text, no FROM...); the findings are then n/a. */
  parseError: string | null;
  /** The ports the final image EXPOSEs, as written ("8113", "8000-8010/udp"); null when it could not be read. */
  exposed: string[] | null;
  /** What the rules resolved, for CI output and review; null when the Dockerfile could not be parsed. */
  facts: DockerfileFacts | null;
};

export type DockerfileFacts = {
  /** The image the final image starts from, after ARGs and stage aliases, e.g. gcr.io/distroless/static:nonroot. */
  finalBase: string;
  /** Who the final image runs as: the effective USER as resolved, or the base image's default where known. */
  user: { value: string | null; source: "USER" | "base image default" | "unknown"; line: number | null };
  exposed: string[];
  /**
   * Every stage's FROM after global ARG substitution. `image`: it starts from an image (not an earlier stage);
   * `final`: its image is the one the final image is built on; `used`: BuildKit builds it for the final image (its
   * chain, or copied or mounted from); `unresolved`: global ARGs without a value it needs.
   */
  stages: { index: number; alias: string | null; from: string; line: number; image: boolean; final: boolean; used: boolean; unresolved: string[] }[];
};

export type ImageComplianceStatus = "pass" | "warn" | "fail" | "unknown";

export type ImageCompliance = {
  name: string;
  /**
   * fail: an error-severity rule failed, or the Dockerfile could not be parsed;
   * warn: a warning-severity rule failed or any rule warned;
   * pass: every rule that applied passed;
   * unknown: nothing could be checked (no checkout configured and no pushed image evidence).
   */
  status: ImageComplianceStatus;
  findings: Finding[];
  /** The plan's Dockerfile path, relative to the checkout. */
  dockerfile: string;
  parseError: string | null;
  /** What the Dockerfile's final image EXPOSEs (see DockerfileAnalysis); null when it was not read. */
  exposed: string[] | null;
};

/**
 * Plan-level figures. Every percentage is over ALL images of the plan (`images`), not only the
 * analysed ones: an image whose Dockerfile is missing or unreadable counts as not meeting the rule,
 * so the figures can be set beside the build summary's claims about "all images". Rounded down, so
 * 100 means every image.
 */
export type PlanComplianceTotals = {
  images: number;
  /** % of images whose Dockerfile was found and parsed. */
  analysed: number;
  /** % of images whose final stage is distroless (distroless-final-stage passed). */
  distroless: number;
  /** % of images running as a non-root user (non-root-user passed, and no pushed image says otherwise). */
  nonRoot: number;
  /** % of images running as the plan's expected user, e.g. 65532:65532 (expected-user passed, and no pushed image runs as root). */
  expectedUser: number;
  /** % of images with a health check (healthcheck passed, and no pushed image says otherwise). */
  healthcheck: number;
  /** % of images whose every external base is pinned by digest (pinned-base passed; a tag alone is not a pin). */
  pinned: number;
  /** % of images a Compose service runs with a read-only root filesystem (compose-read-only passed). */
  readOnly: number;
  /** % of images a Compose service runs with every capability dropped and no-new-privileges set. */
  capabilities: number;
  /** % of images a Compose service runs on the lucid-pi-network. */
  network: number;
  /** % of images whose latest push has an SBOM and provenance for every platform (attestations-present passed). */
  attested: number;
  /** % of images whose latest push has a cosign signature that verifies (signed passed). */
  signed: number;
  /** % of images whose latest push was built from every base's current digest (base-up-to-date passed). */
  baseFresh: number;
  /** % of images whose latest push's scan lists no fixable critical or high vulnerability (no-fixable-critical-high passed). */
  noFixableCriticalHigh: number;
  /**
   * Whether anything was measured at all: no Dockerfile read (no checkout set) or no Compose file judged means those
   * figures are "not checked", never "0% measured".
   */
  checked: { dockerfiles: boolean; compose: boolean; registry: boolean; bases: boolean; scans: boolean };
  /** The same figures as image counts. */
  counts: Record<Exclude<keyof PlanComplianceTotals, "images" | "checked" | "counts">, number>;
};

/**
 * What a finding means for the reader, in the one vocabulary every screen uses: fail (a high-severity rule failed),
 * warning (a lower-severity rule failed, or a rule could not decide), pass, not checked (the rule did not apply or
 * had nothing to read). A result never contradicts the rule's severity: only a high-severity rule can fail.
 */
export type FindingResult = "fail" | "warning" | "pass" | "not_checked";

export type ResultCounts = Record<FindingResult, number>;

/** An image's compliance at a glance: what its badge shows, without the findings behind it. */
export type ImageComplianceSummary = { name: string; status: ImageComplianceStatus; counts: ResultCounts };

export type PlanComplianceSummary = Omit<PlanCompliance, "images"> & { images: ImageComplianceSummary[] };

export type PlanCompliance = {
  images: ImageCompliance[];
  totals: PlanComplianceTotals;
  /** Set when the Dockerfile rules could not run at all, e.g. "set LUCID_REPO_ROOT ...". */
  note: string | null;
};
