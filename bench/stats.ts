export type Summary = { n: number; median: number; p95: number; mean: number; max: number };

/** The nearest-rank q-quantile (0.5 = median) of the samples; NaN for none. */
export function percentile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    median: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

/**
 * Times `count` sequential GETs of a path after a warm-up, in milliseconds (signed in when `headers` carry a
 * cookie). `before`, when given, runs before each timed request and is not counted (e.g. a write that changes
 * what the page shows, so it cannot come from a cache).
 */
export async function timeRequests(url: string, count: number, warmup = 20, headers: Record<string, string> = {}, before?: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await (await fetch(url, { headers })).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    await before?.();
    const start = performance.now();
    const response = await fetch(url, { headers, redirect: "manual" });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    samples.push(performance.now() - start);
  }
  return samples;
}
