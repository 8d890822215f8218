// Reading and judging Compose files: parse, interpolate, merge, match to the plan and run the compose rules, cold
// (no cache), several times, reporting the median. Goal: under 200 ms for the two Lucid files and for a
// 1,000-service file.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { analyseComposeEvidence } from "@/lib/compliance/compose";
import { planWithDefaults } from "@/lib/compliance/analyse";
import { readComposeProject, type ComposeFile } from "@/lib/deploy/compose/project";
import { declaredDeployment, type PlanImageRef } from "@/lib/deploy/declared";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { FIXTURE_ROOT, hasLucidFixtures } from "@/lib/testing/lucid-fixtures";
import { percentile } from "./stats";

const PLAN: PlanImageRef[] = LUCID_PLAN.phases.flatMap((p) => p.images.map((i) => ({ name: i.name, repository: i.repository, tags: i.tags, port: null, healthPath: "/health" })));
const LUCID_FILES = ["build/docker-compose.session-images.yml", "RDP/docker-compose.server-images.yml"];
// The RDP file needs these (as on the Pi); its ${RDP_SERVER_MANAGER_PORT:8801} is still refused, as Compose does.
const VARIABLES = { MONGODB_URL: "mongodb://db", REDIS_URL: "redis://cache" };

/** A file like the Lucid ones, with `count` services sharing hardening through an anchor. */
export function largeComposeFile(count: number): string {
  const lines = ["x-hardened: &hardened", "  read_only: true", "  cap_drop: [ALL]", '  security_opt: ["no-new-privileges:true"]', '  user: "65532:65532"', "  networks: [lucid-pi-network]", "services:"];
  const images = PLAN.map((p) => p.repository);
  for (let i = 0; i < count; i++) {
    lines.push(
      `  service-${i}:`,
      "    <<: *hardened",
      `    image: ${images[i % images.length]}:\${TAG:-20261130-120000}`,
      "    platform: linux/arm64",
      "    ports:",
      `      - "\${PORT_${i}:-${10_000 + i}}:8000"`,
      "    environment:",
      `      - SERVICE_NAME=service-${i}`,
      "      - LOG_LEVEL=INFO",
      "    healthcheck:",
      '      test: ["CMD", "/app/health", "http://127.0.0.1:8000/health"]',
      "      interval: 30s",
    );
  }
  return lines.join("\n") + "\n";
}

function judge(files: ComposeFile[]): { services: number; problems: number } {
  const declared = declaredDeployment(readComposeProject(files, VARIABLES), PLAN);
  if (!declared.ok) return { services: 0, problems: declared.problems.length };
  const plan = planWithDefaults({});
  for (const s of declared.services) analyseComposeEvidence({ service: s.service }, plan);
  return { services: declared.services.length, problems: 0 };
}

function timed(files: ComposeFile[], runs: number) {
  const totals: number[] = [];
  let result = judge(files);
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    result = judge(files);
    totals.push(performance.now() - started);
  }
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  return { files: files.length, bytes, services: result.services, problems: result.problems, medianMs: Math.round(percentile(totals, 0.5) * 100) / 100 };
}

export function benchCompose(runs = 7): Record<string, ReturnType<typeof timed>> {
  const out: Record<string, ReturnType<typeof timed>> = {};
  const lucid = LUCID_FILES.map((f) => path.join(FIXTURE_ROOT, f));
  if (hasLucidFixtures && lucid.every((f) => existsSync(f))) {
    const files = LUCID_FILES.map((p, i) => ({ path: p, text: readFileSync(lucid[i]!, "utf8") }));
    out["the session images' file"] = timed(files.slice(0, 1), runs);
    out["both Lucid files (the RDP one is refused, as Compose does)"] = timed(files, runs);
  }
  out["1,000 services"] = timed([{ path: "compose.yml", text: largeComposeFile(1_000) }], runs);
  return out;
}
