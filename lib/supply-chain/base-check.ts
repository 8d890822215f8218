// Asks each base image's registry what its tag points at now (HEAD, not a pull), and keeps every digest
// seen with its platforms' layers. A base checked within the last minute is not asked again: a page of
// "Check now" clicks must not become a burst of requests to Docker Hub.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { mapWithLimit } from "@/lib/concurrency";
import { takeWriteLock } from "@/lib/db/write-lock";
import { readPushedImage, RegistryError, resolveTagDigest } from "@/lib/registry/client";
import { credentialsFor, type RegistryAccess } from "@/lib/registry/credentials";
import { pinnedReference, shortDigest } from "@/lib/registry/reference";
import type { DigestPlatform } from "@/lib/supply-chain/freshness";
import { emit } from "@/lib/notifications/outbox";
import type { Env } from "@/lib/env";

export type BaseCheckSettings = {
  access: RegistryAccess;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** A base attempted more recently than this is skipped (default 60 s). */
  minIntervalMs?: number;
  concurrency?: number;
  /** The platforms the plan builds: only their manifests are read for a new digest (each GET counts as a pull on Docker Hub). */
  platforms?: readonly string[];
  /** Where the notification channels are declared (process.env by default). */
  env?: Env;
};

export type BaseCheckResult = {
  checked: number;
  skipped: number;
  /** References whose tag points at a digest not seen before (the first sighting of a base is not a move). */
  moved: string[];
  failed: { reference: string; error: string }[];
};

const DEFAULT_MIN_INTERVAL_MS = 60_000;
const DEFAULT_CONCURRENCY = 4;

/** Checks every reference (normalised, with a tag); records what each points at. */
export async function checkBaseReferences(prisma: PrismaClient, references: readonly string[], settings: BaseCheckSettings, now = new Date()): Promise<BaseCheckResult> {
  const minInterval = settings.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  const known = new Map((await prisma.baseImage.findMany({ where: { reference: { in: [...references] } } })).map((b) => [b.reference, b]));
  const due = references.filter((r) => {
    const attempted = known.get(r)?.attemptedAt;
    return !attempted || now.getTime() - attempted.getTime() >= minInterval;
  });
  const result: BaseCheckResult = { checked: 0, skipped: references.length - due.length, moved: [], failed: [] };
  await mapWithLimit(due, settings.concurrency ?? DEFAULT_CONCURRENCY, async (reference) => {
    const outcome = await checkOne(prisma, reference, settings, now);
    if (outcome.ok) {
      result.checked++;
      if (outcome.moved) result.moved.push(reference);
    } else result.failed.push({ reference, error: outcome.error });
  });
  return result;
}

type CheckOutcome = { ok: true; moved: boolean } | { ok: false; error: string };

async function checkOne(prisma: PrismaClient, reference: string, settings: BaseCheckSettings, now: Date): Promise<CheckOutcome> {
  const options = { ...credentialsFor(reference, settings.access), fetch: settings.fetch, timeoutMs: settings.timeoutMs };
  let digest: string;
  try {
    digest = await resolveTagDigest(reference, options);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    await prisma.baseImage.upsert({ where: { reference }, create: { reference, attemptedAt: now, error: error.message }, update: { attemptedAt: now, error: error.message } });
    return { ok: false, error: error.message };
  }
  const seen = await prisma.baseDigest.findFirst({ where: { digest, baseImage: { reference } }, select: { id: true, platforms: true } });
  // A digest seen before keeps its platforms; a new one (or one whose platforms could not be read) is read.
  const platforms = seen && Array.isArray(seen.platforms) && seen.platforms.length > 0 ? null : await readPlatforms(reference, digest, { ...options, platforms: settings.platforms });
  return prisma.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const before = await tx.baseImage.findUnique({ where: { reference } });
    // A slower check that started earlier must not overwrite what a later one found.
    if (before?.checkedAt && before.checkedAt > now) return { ok: true as const, moved: false };
    const moved = before?.digest != null && before.digest !== digest;
    const base = await tx.baseImage.upsert({
      where: { reference },
      create: { reference, digest, checkedAt: now, attemptedAt: now, error: null },
      update: { digest, checkedAt: now, attemptedAt: now, error: null, ...(moved ? { movedAt: now } : {}) },
    });
    await tx.baseDigest.upsert({
      where: { baseImageId_digest: { baseImageId: base.id, digest } },
      create: { baseImageId: base.id, digest, firstSeenAt: now, lastSeenAt: now, platforms: platforms ?? [] },
      // Back to a digest seen before: its period starts again now (firstSeenAt is when the tag last moved to it).
      update: { lastSeenAt: now, ...(moved ? { firstSeenAt: now } : {}), ...(platforms ? { platforms } : {}) },
    });
    if (moved) {
      await emit(tx, {
        type: "base.moved",
        title: `${reference} moved`,
        text: `The tag now points at ${shortDigest(digest)} (it was ${shortDigest(before!.digest!)}): images built from the old digest need a rebuild.`,
        path: "/bases",
        data: { reference, from: before!.digest, to: digest },
      }, settings.env);
    }
    return { ok: true as const, moved };
  });
}

/** Each platform's manifest digest and layers at `digest`; empty when they cannot be read (the digest alone still counts). */
async function readPlatforms(reference: string, digest: string, options: Parameters<typeof readPushedImage>[1]): Promise<DigestPlatform[]> {
  try {
    const image = await readPushedImage(pinnedReference(reference, digest), options);
    return image.platforms.map((p) => ({ platform: p.platform, digest: p.digest, diffIds: p.diffIds ?? [] }));
  } catch (error) {
    if (error instanceof RegistryError) return [];
    throw error;
  }
}
