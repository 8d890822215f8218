import type { PlanOverview } from "@/lib/views/overview";

/** Size reported without a platform (the build summary's figures). */
export const REPORTED_SERIES = "reported";

export type ImageFigures = {
  name: string;
  title: string;
  phase: number;
  buildId: number | null;
  /** Build time of the latest successful build, in minutes. */
  minutes: number | null;
  /** Compressed size per platform in MB, plus REPORTED_SERIES where only an unattributed size exists. */
  megabytes: Record<string, number>;
};

const toMinutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10;
const toMegabytes = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;

/** Build time and size per image from each image's latest successful build, optionally for one phase. */
export function imageFigures(plan: PlanOverview, phase: number | null = null): ImageFigures[] {
  return plan.phases
    .filter((p) => phase === null || p.number === phase)
    .flatMap((p) =>
      p.images.map((image): ImageFigures => {
        const build = image.latestSuccess;
        const megabytes: Record<string, number> = {};
        for (const [platform, bytes] of Object.entries(build?.sizes ?? {})) megabytes[platform] = toMegabytes(bytes);
        if (build?.reportedSizeBytes != null && Object.keys(megabytes).length === 0) {
          megabytes[REPORTED_SERIES] = toMegabytes(build.reportedSizeBytes);
        }
        return {
          name: image.name,
          title: image.title,
          phase: p.number,
          buildId: build?.id ?? null,
          minutes: build?.durationMs != null ? toMinutes(build.durationMs) : null,
          megabytes,
        };
      }),
    );
}

/** The size series present, platforms sorted, the unattributed series last. */
export function sizeSeries(figures: readonly ImageFigures[]): string[] {
  const names = new Set(figures.flatMap((f) => Object.keys(f.megabytes)));
  const platforms = [...names].filter((n) => n !== REPORTED_SERIES).sort();
  return names.has(REPORTED_SERIES) ? [...platforms, REPORTED_SERIES] : platforms;
}
