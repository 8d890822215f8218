import type { PrismaClient } from "@/lib/generated/prisma/client";
import { jsonStrings } from "@/lib/db/json";
import { imageState, type ImageState } from "@/lib/builds/status";
import { pushedConfig, type PushedConfig } from "@/lib/registry/config";


export type BuildRecord = {
  id: number;
  image: { name: string; title: string; phase: { number: number; name: string } };
  status: string;
  state: ImageState;
  source: string;
  startedBy: string | null;
  pushed: boolean;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  builder: string | null;
  argv: string[] | null;
  tags: string[];
  platforms: string[];
  digest: string | null;
  reportedSizeBytes: number | null;
  failureReason: string | null;
  cancelRequestedAt: string | null;
  cancelledBy: string | null;
  evidence: string | null;
  hasLog: boolean;
  /** "log incomplete: ENOSPC: …" when the log file could not be written in full; null otherwise. */
  logIncomplete: string | null;
  sizes: { platform: string; compressedBytes: number | null; digest: string | null; config: PushedConfig | null }[];
};

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** One build as the API and the build page show it; null when there is no such build. */
export async function getBuildRecord(prisma: PrismaClient, id: number): Promise<BuildRecord | null> {
  const b = await prisma.build.findUnique({
    where: { id },
    include: { image: { select: { name: true, title: true, phase: { select: { number: true, name: true } } } }, sizes: { orderBy: { platform: "asc" } } },
  });
  if (!b) return null;
  return {
    id: b.id,
    image: b.image,
    status: b.status,
    state: imageState(b),
    source: b.source,
    startedBy: b.startedBy,
    pushed: b.pushed,
    queuedAt: iso(b.queuedAt),
    startedAt: iso(b.startedAt),
    finishedAt: iso(b.finishedAt),
    durationMs: b.durationMs,
    exitCode: b.exitCode,
    builder: b.builder,
    argv: b.argv === null ? null : jsonStrings(b.argv),
    tags: jsonStrings(b.tags),
    platforms: jsonStrings(b.platforms),
    digest: b.digest,
    reportedSizeBytes: b.reportedSizeBytes,
    failureReason: b.failureReason,
    cancelRequestedAt: iso(b.cancelRequestedAt),
    cancelledBy: b.cancelledBy,
    evidence: b.evidence,
    hasLog: b.logPath !== null,
    logIncomplete: b.logIncomplete,
    sizes: b.sizes.map((s) => ({ platform: s.platform, compressedBytes: s.compressedBytes, digest: s.digest, config: pushedConfig(s.config) })),
  };
}
