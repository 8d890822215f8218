import type { PrismaClient } from "@/lib/generated/prisma/client";
import { buildSummarySelect, toBuildSummary, type BuildSummary } from "@/lib/builds/summary";
import { imageState, type ImageState } from "@/lib/builds/status";
import { FINISHED_BUILD_STATUSES, PUSHED_BUILD } from "@/lib/db/vocabulary";
import { toImageSpec, type ImageSpec } from "@/lib/plan/image-spec";

const HISTORY_PAGE_SIZE = 20;
/** How many of the newest builds the image page charts. */
const SERIES_LENGTH = 60;


export type ImageDetail = {
  image: ImageSpec & { phase: { number: number; name: string; category: string } };
  /** What the latest attempt says. */
  state: ImageState;
  /** A build of this image was pushed (it counts as complete whatever the latest attempt says). */
  shipped: boolean;
  /** The latest attempt's failure reason, when it failed. */
  failureReason: string | null;
  history: { builds: BuildSummary[]; page: number; pages: number; total: number };
  /** The newest finished builds, oldest first, for the charts. */
  series: BuildSummary[];
};


/** An image with its state, one page of its builds (newest first) and the chart series; null if unknown. */
export async function getImageDetail(prisma: PrismaClient, name: string, page = 1): Promise<ImageDetail | null> {
  const image = await prisma.image.findUnique({ where: { name }, include: { phase: true } });
  if (!image) return null;
  const [total, latest, pushed, pageRows, seriesRows] = await Promise.all([
    prisma.build.count({ where: { imageId: image.id } }),
    prisma.build.findFirst({ where: { imageId: image.id }, orderBy: { id: "desc" }, select: { status: true, pushed: true, failureReason: true } }),
    prisma.build.findFirst({ where: { imageId: image.id, ...PUSHED_BUILD }, orderBy: { id: "desc" }, select: { id: true } }),
    prisma.build.findMany({
      where: { imageId: image.id },
      orderBy: { id: "desc" },
      skip: (Math.max(1, page) - 1) * HISTORY_PAGE_SIZE,
      take: HISTORY_PAGE_SIZE,
      select: buildSummarySelect,
    }),
    prisma.build.findMany({
      where: { imageId: image.id, status: { in: [...FINISHED_BUILD_STATUSES] } },
      orderBy: { id: "desc" },
      take: SERIES_LENGTH,
      select: buildSummarySelect,
    }),
  ]);
  return {
    image: { ...toImageSpec(image), phase: { number: image.phase.number, name: image.phase.name, category: image.phase.category } },
    state: imageState(latest),
    shipped: pushed !== null,
    failureReason: imageState(latest) === "failed" ? (latest?.failureReason ?? null) : null,
    history: {
      builds: pageRows.map(toBuildSummary),
      page: Math.max(1, page),
      pages: Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE)),
      total,
    },
    series: seriesRows.reverse().map(toBuildSummary),
  };
}

/** A history page number from a query string: anything but a positive whole number means page 1. */
export function pageParam(raw: string | string[] | null | undefined): number {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && /^[1-9][0-9]{0,5}$/.test(value) ? Number(value) : 1;
}
