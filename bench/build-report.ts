// A build report as CI sends it to POST /api/builds: the nth of a series over the plan's images, one in five failed.
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";

const IMAGES = LUCID_PLAN.phases.flatMap((p) => p.images.map((i) => i.name));

export function buildReport(n: number): string {
  const finishedAt = new Date(Date.now() - 1000);
  return JSON.stringify({
    image: IMAGES[n % IMAGES.length],
    status: n % 5 === 0 ? "failed" : "succeeded",
    startedAt: new Date(finishedAt.getTime() - 60_000 - (n % 600) * 1000).toISOString(),
    finishedAt: finishedAt.toISOString(),
    pushed: n % 5 !== 0,
    sizes: { "linux/arm64": 40_000_000 + n },
  });
}
