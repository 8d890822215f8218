import type { PlanOverview } from "@/lib/views/overview";

/** Size reported without a platform (the build summary's figures). */
export const REPORTED_SERIES = "reported";

export type ImageFigures = {
  name: string;
  title: string;
  phase: number;
  buildId: number | null;
  /** Build time of the latest successful build. */
  durationMs: number | null;
  /** Compressed size per platform in bytes, plus REPORTED_SERIES where only an unattributed size exists. */
  sizes: Record<string, number>;
};


/** Build time and size per image from each image's latest successful build, optionally for one phase. */
export function imageFigures(plan: PlanOverview, phase: number | null = null): ImageFigures[] {
  return plan.phases
    .filter((p) => phase === null || p.number === phase)
    .flatMap((p) =>
      p.images.map((image): ImageFigures => {
        const build = image.latestSuccess;
        const sizes: Record<string, number> = { ...build?.sizes };
        if (build?.reportedSizeBytes != null && Object.keys(sizes).length === 0) sizes[REPORTED_SERIES] = build.reportedSizeBytes;
        return {
          name: image.name,
          title: image.title,
          phase: p.number,
          buildId: build?.id ?? null,
          durationMs: build?.durationMs ?? null,
          sizes,
        };
      }),
    );
}

/** The size series present, platforms sorted, the unattributed series last. */
export function sizeSeries(figures: readonly ImageFigures[]): string[] {
  const names = new Set(figures.flatMap((f) => Object.keys(f.sizes)));
  const platforms = [...names].filter((n) => n !== REPORTED_SERIES).sort();
  return names.has(REPORTED_SERIES) ? [...platforms, REPORTED_SERIES] : platforms;
}

/** What a chart of one figure leaves out: the images without it, per phase, so the chart can say so. */
export function missingFigures(figures: readonly ImageFigures[], has: (f: ImageFigures) => boolean): { phase: number; titles: string[] }[] {
  const byPhase = new Map<number, string[]>();
  for (const f of figures) if (!has(f)) byPhase.set(f.phase, [...(byPhase.get(f.phase) ?? []), f.title]);
  return [...byPhase].map(([phase, titles]) => ({ phase, titles }));
}
