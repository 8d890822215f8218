// Facts the build-commands document does not carry, each with where it comes from.
import type { ServiceDefaults } from "@/lib/plan/import";

/**
 * Service ports and health paths. The two marked "summary" come from the Phase 4 build summary;
 * the others from each Dockerfile's EXPOSE and HEALTHCHECK in the Lucid repository (commit 29c889df).
 * Images whose Dockerfile does not exist upstream, and base images, have none. A health path is only
 * set where the service answers HTTP (MongoDB, Redis and xrdp are probed on a raw TCP port upstream).
 */
export const LUCID_SERVICE_DEFAULTS: ServiceDefaults = {
  "lucid-mongodb": { port: 27017, healthPath: null },
  "lucid-redis": { port: 6379, healthPath: null },
  "lucid-elasticsearch": { port: 9200, healthPath: "/_cluster/health" },
  "lucid-auth-service": { port: 8089 },
  "lucid-blockchain-engine": { port: 8084 },
  "lucid-session-anchoring": { port: 8085 },
  "lucid-block-manager": { port: 8086 },
  "lucid-data-chain": { port: 8087 },
  "lucid-session-pipeline": { port: 8083 },
  "lucid-session-recorder": { port: 8090 },
  "lucid-chunk-processor": { port: 8091 },
  "lucid-session-storage": { port: 8082 },
  // summary: "Port: 8090" (the Dockerfile EXPOSEs 8113; the compliance check reports the disagreement)
  "lucid-session-api": { port: 8090 },
  // summary: "Port: 8081" (the Dockerfile agrees)
  "lucid-rdp-server-manager": { port: 8081 },
  "lucid-rdp-xrdp": { port: 3389, healthPath: null },
  "lucid-rdp-controller": { port: 8092 },
  "lucid-rdp-monitor": { port: 8093 },
  "lucid-admin-interface": { port: 8120 },
  "lucid-vm": { port: 8107 },
  "lucid-database": { port: 27018 },
  "lucid-storage": { port: 9900 },
};

export const SUMMARY_SOURCE = "Phase 4 build summary";

const SUMMARY_DOC = "spec/phase4-application-services-build-summary.md";

export type SummaryBuild = {
  image: string;
  tags: string[];
  platforms: string[];
  argv: string[] | null;
  durationMs: number | null;
  reportedSizeBytes: number | null;
  evidence: string;
};

const PLATFORMS = ["linux/arm64", "linux/amd64"];

function buildxArgv(repo: string, tags: string[], dockerfile: string, context: string): string[] {
  return [
    "docker", "buildx", "build", "--platform", PLATFORMS.join(","),
    ...tags.flatMap((t) => ["-t", `${repo}:${t}`]),
    "-f", dockerfile, "--push", context,
  ];
}

/**
 * The builds the summary reports. Only what it states is recorded: no start or finish times (it
 * gives a build date of 2025-01-24 while its timestamp tags say 2025-10-24, in an unknown time zone),
 * no digests, and no per-platform sizes (it gives one size per image without naming the platform).
 */
export const SUMMARY_BUILDS: SummaryBuild[] = [
  {
    image: "lucid-session-api",
    tags: ["pickme/lucid-session-api:latest-arm64", "pickme/lucid-session-api:latest-20251024-155132"],
    platforms: PLATFORMS,
    argv: buildxArgv("pickme/lucid-session-api", ["latest-arm64", "latest-20251024-155132"], "sessions/Dockerfile.api", "sessions/"),
    durationMs: 12.5 * 60_000,
    reportedSizeBytes: 54_300_000,
    evidence: `${SUMMARY_DOC}, "Session API Service": Status "Built and Pushed", Build Time "~12.5 minutes", Image Size "54.3MB", Port 8090.`,
  },
  {
    image: "lucid-rdp-server-manager",
    tags: ["pickme/lucid-rdp-server-manager:latest-arm64", "pickme/lucid-rdp-server-manager:latest-20251024-155209"],
    platforms: PLATFORMS,
    argv: buildxArgv("pickme/lucid-rdp-server-manager", ["latest-arm64", "latest-20251024-155209"], "RDP/Dockerfile.server-manager", "RDP/"),
    durationMs: 7.5 * 60_000,
    reportedSizeBytes: 47_600_000,
    evidence: `${SUMMARY_DOC}, "RDP Server Manager": Status "Built and Pushed", Build Time "~7.5 minutes", Image Size "47.6MB", Port 8081.`,
  },
  ...[
    "lucid-api-gateway",
    "lucid-service-mesh-controller",
    "lucid-blockchain-engine",
    "lucid-session-anchoring",
    "lucid-block-manager",
    "lucid-data-chain",
  ].map(
    (image): SummaryBuild => ({
      image,
      tags: [],
      platforms: [],
      argv: null,
      durationMs: null,
      reportedSizeBytes: null,
      evidence: `${SUMMARY_DOC}, progress table: "Phase 3 | Core Services | 6 | 6 | Complete". The summary gives no per-image tags, times, sizes or digests.`,
    }),
  ),
];
