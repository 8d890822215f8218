// Analyses of Dockerfiles in the checkout, remembered by file identity so the overview can ask for
// all 35 images on every request and only pay for the files that changed.
import type { DockerfileAnalysis } from "@/lib/compliance/types";

const MAX_ENTRIES = 512;

const entries = new Map<string, DockerfileAnalysis>();

/**
 * (path, mtimeMs, size) identify the file's content well enough for a dashboard: an edit that keeps
 * both the size and the modification time is not noticed until either changes. `facts` covers what
 * else the analysis depends on (the plan's port, user and platforms, the allowed bases).
 */
export function cacheKey(path: string, mtimeMs: number, size: number, facts: unknown): string {
  return JSON.stringify([path, mtimeMs, size, facts]);
}

export function cached(key: string): DockerfileAnalysis | undefined {
  return entries.get(key);
}

export function remember(key: string, analysis: DockerfileAnalysis): void {
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(key, analysis);
}

export function clearAnalysisCache(): void {
  entries.clear();
}

export function analysisCacheSize(): number {
  return entries.size;
}
