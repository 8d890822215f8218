// Compliance analysis time: all 26 fixture Dockerfiles of the Lucid plan, analysed cold (no cache)
// several times, reporting the median of the totals. Goal: under 200 ms for all 26.
import { existsSync, readFileSync } from "node:fs";
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

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
