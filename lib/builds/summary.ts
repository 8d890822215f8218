import type { Prisma } from "@/lib/generated/prisma/client";
import { sizesByPlatform } from "@/lib/builds/sizes";
import { jsonStrings } from "@/lib/db/json";

/** A build as lists, charts and the overview show it (the full record is lib/builds/record.ts). */
export type BuildSummary = {
  id: number;
  status: string;
  source: string;
  startedBy: string | null;
  pushed: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  reportedSizeBytes: number | null;
  digest: string | null;
  failureReason: string | null;
  /** Where an imported record's figures come from. */
  evidence: string | null;
  tags: string[];
  /** Compressed bytes per platform, where the registry or the builder reported them. */
  sizes: Record<string, number>;
};

export const buildSummarySelect = {
  id: true,
  status: true,
  source: true,
  startedBy: true,
  pushed: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  reportedSizeBytes: true,
  digest: true,
  failureReason: true,
  evidence: true,
  tags: true,
  sizes: { select: { platform: true, compressedBytes: true } },
} satisfies Prisma.BuildSelect;

export function toBuildSummary(row: Prisma.BuildGetPayload<{ select: typeof buildSummarySelect }>): BuildSummary {
  return {
    ...row,
    tags: jsonStrings(row.tags),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    sizes: sizesByPlatform(row.sizes),
  };
}
