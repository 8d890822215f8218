// Compliance analysis time: all 26 fixture Dockerfiles of the Lucid plan, analysed cold (no cache)
// several times, reporting the median of the totals. Goal: under 200 ms for all 26.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { analyseDockerfile } from "@/lib/compliance/analyse";
import { FIXTURE_ROOT, hasLucidFixtures, lucidComplianceImages, SMALL_CHECKOUT } from "@/lib/testing/lucid-fixtures";

export async function benchCompliance(runs = 7): Promise<{ files: number; totalMs: number; perFileMs: number; checkout: string }> {
  // The real Lucid Dockerfiles where present, else the small ones written for the tests (a smaller figure).
  const root = hasLucidFixtures ? FIXTURE_ROOT : SMALL_CHECKOUT;
  // Files are read once up front: the figure is the analysis, not the disk.
  const inputs = lucidComplianceImages()
    .map((image) => ({ image, file: path.join(root, image.dockerfile) }))
    .filter(({ file }) => existsSync(file))
    .map(({ image, file }) => ({ image, text: readFileSync(file, "utf8") }));
  if (inputs.length === 0) throw new Error(`no Dockerfiles of the plan under ${root}`);

  const totals: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    for (const { image, text } of inputs) analyseDockerfile(text, image, {}, image.dockerfile);
    totals.push(performance.now() - started);
  }
  const totalMs = median(totals);
  return { files: inputs.length, totalMs: round(totalMs), perFileMs: round(totalMs / inputs.length), checkout: hasLucidFixtures ? "real Lucid files" : "small test checkout" };
}

/**
 * A Dockerfile near the size the issue reported taking 45 s: 32,000 RUN lines (1.4 MB), shell-form in a
 * distroless final stage so that every rule has a long list to report. Goal: under 1 s.
 */
export function bigDockerfile(lines = 32_000): string {
  const out = ["FROM python:3.11-slim AS build", "FROM gcr.io/distroless/python3-debian12:nonroot", "COPY --from=build /app /app"];
  for (let i = 0; i < lines; i++) out.push(`RUN echo step-${i} && pip install package-${i}`);
  return out.join("\n");
}

export function benchBigDockerfile(runs = 5, lines = 32_000): { bytes: number; medianMs: number } {
  const text = bigDockerfile(lines);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    analyseDockerfile(text, { port: 8080 });
    times.push(performance.now() - started);
  }
  return { bytes: text.length, medianMs: round(median(times)) };
}

function dockerfilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? dockerfilesUnder(full) : entry.startsWith("Dockerfile") ? [full] : [];
  });
}

/**
 * `npx lucid compliance` on 129 Dockerfiles (the fixtures, repeated), wall time of the whole process as CI sees it,
 * with the compiled CLI already built (the first run builds it). Goal: under 1 s.
 */
export function benchComplianceCli(runs = 5, count = 129): { files: number; medianMs: number } {
  const root = hasLucidFixtures ? FIXTURE_ROOT : SMALL_CHECKOUT;
  const found = dockerfilesUnder(root).sort();
  const files = Array.from({ length: count }, (_, i) => found[i % found.length]!);
  const run = () => {
    const started = performance.now();
    try {
      execFileSync(process.execPath, ["bin/lucid.mjs", "compliance", ...files], { stdio: "ignore" });
    } catch (error) {
      // Exit 1 is the verdict on the files (some fail), not a failure of the command.
      if ((error as { status?: number }).status !== 1) throw error;
    }
    return performance.now() - started;
  };
  run();
  const times = Array.from({ length: runs }, run);
  return { files: files.length, medianMs: round(median(times)) };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
