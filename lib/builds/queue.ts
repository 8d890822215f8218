// The persistent build queue: requests, cancellation, claiming work and recovery after a restart.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { takeWriteLock } from "@/lib/db/write-lock";
import { isPostgres } from "@/lib/db/dialect";
import { imageState } from "@/lib/builds/status";
import { ACTIVE_BUILD_STATUSES, PUSHED_BUILD, type BuildSource } from "@/lib/db/vocabulary";
import { jsonStrings } from "@/lib/db/json";
import { audit, type Actor } from "@/lib/audit/audit";


export class BuildRequestError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = "BuildRequestError";
  }
}

/** Who asks: recorded as the build's startedBy and as the audit actor. */
export type Requester = { source: Extract<BuildSource, "dashboard" | "api">; startedBy: Actor };

/** Throws a BuildRequestError when the image cannot be built as planned; nothing is queued then. */
export type BuildPrecheck = (image: { name: string; dockerfile: string; context: string; tags: string[]; repository: string; platforms: string[]; push: boolean }) => Promise<void>;

export type RequestResult = { id: number; image: string; created: boolean };

/**
 * Queues a build of one image, unless it already has one queued or running: then that build is
 * returned, so a second click never starts a second build. A new build is audited in its transaction.
 */
export async function requestBuild(
  prisma: PrismaClient,
  name: string,
  by: Requester,
  precheck: BuildPrecheck,
  auditDetail: Record<string, unknown> = {},
): Promise<RequestResult> {
  const image = await prisma.image.findUnique({ where: { name } });
  if (!image) throw new BuildRequestError(404, `unknown image "${name}"`);
  const platforms = jsonStrings(image.platforms);
  await precheck({ ...image, tags: jsonStrings(image.tags), platforms });

  return prisma.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const active = await tx.build.findFirst({ where: { imageId: image.id, status: { in: [...ACTIVE_BUILD_STATUSES] } }, orderBy: { id: "asc" } });
    if (active) return { id: active.id, image: name, created: false };
    const build = await tx.build.create({
      data: { imageId: image.id, status: "queued", source: by.source, startedBy: by.startedBy, queuedAt: new Date(), tags: [], platforms },
    });
    await audit(by.startedBy, "build.start", `image ${name}`, { build: build.id, source: by.source, ...auditDetail }, tx);
    return { id: build.id, image: name, created: true };
  });
}

export type PhaseRequestResult = { queued: RequestResult[]; skipped: { image: string; reason: string }[] };

/**
 * Queues every incomplete image of a phase: never pushed (a shipped image whose rebuild failed is complete; its own
 * Rebuild button retries it) and no build queued or running.
 */
export async function requestPhaseBuilds(prisma: PrismaClient, phaseNumber: number, by: Requester, precheck: BuildPrecheck): Promise<PhaseRequestResult> {
  const phase = await prisma.phase.findUnique({ where: { number: phaseNumber }, include: { images: { orderBy: { step: "asc" }, select: { id: true, name: true } } } });
  if (!phase) throw new BuildRequestError(404, `unknown phase ${phaseNumber}`);
  const incomplete = [];
  for (const image of phase.images) {
    if (!(await prisma.build.findFirst({ where: { imageId: image.id, ...PUSHED_BUILD }, select: { id: true } }))) incomplete.push(image.name);
  }
  const result = await requestEach(prisma, incomplete, by, precheck, { phase: phaseNumber });
  await audit(by.startedBy, "build.phase", `phase ${phaseNumber}`, { source: by.source, queued: result.queued.filter((q) => q.created).map((q) => q.image), skipped: result.skipped }, prisma);
  return result;
}

/** Queues a rebuild of each image, in the order given, skipping those already queued or building (and saying why others could not be queued). */
export async function requestRebuilds(prisma: PrismaClient, names: readonly string[], by: Requester, precheck: BuildPrecheck, reason: string): Promise<PhaseRequestResult> {
  const result = await requestEach(prisma, names, by, precheck, { reason });
  await audit(by.startedBy, "build.rebuild_stale", `${names.length} image${names.length === 1 ? "" : "s"}`, { source: by.source, reason, queued: result.queued.filter((q) => q.created).map((q) => q.image), skipped: result.skipped }, prisma);
  return result;
}

async function requestEach(prisma: PrismaClient, names: readonly string[], by: Requester, precheck: BuildPrecheck, auditDetail: Record<string, unknown>): Promise<PhaseRequestResult> {
  const result: PhaseRequestResult = { queued: [], skipped: [] };
  for (const name of names) {
    const latest = await prisma.build.findFirst({ where: { image: { name } }, orderBy: { id: "desc" }, select: { status: true, pushed: true } });
    const state = imageState(latest ?? undefined);
    if (state === "queued" || state === "building") {
      result.skipped.push({ image: name, reason: `already ${state}` });
      continue;
    }
    try {
      result.queued.push(await requestBuild(prisma, name, by, precheck, auditDetail));
    } catch (error) {
      if (!(error instanceof BuildRequestError)) throw error;
      result.skipped.push({ image: name, reason: error.message });
    }
  }
  return result;
}

export type CancelResult = { id: number; status: string };

/**
 * A queued build is cancelled at once; a running one is marked, and the runner stops its process
 * group and records the outcome. Cancelling a finished build is refused.
 */
export async function requestCancel(prisma: PrismaClient, id: number, by: Actor): Promise<CancelResult> {
  return prisma.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const build = await tx.build.findUnique({ where: { id } });
    if (!build) throw new BuildRequestError(404, `unknown build ${id}`);
    const now = new Date();
    if (build.status === "queued") {
      await tx.build.update({
        where: { id },
        data: { status: "cancelled", finishedAt: now, cancelRequestedAt: now, cancelledBy: by, failureReason: `cancelled by ${by} before it started` },
      });
      await audit(by, "build.cancel", `build ${id}`, { was: "queued" }, tx);
      return { id, status: "cancelled" };
    }
    if (build.status === "running") {
      if (!build.cancelRequestedAt) {
        await tx.build.update({ where: { id }, data: { cancelRequestedAt: now, cancelledBy: by } });
        await audit(by, "build.cancel", `build ${id}`, { was: "running" }, tx);
      }
      return { id, status: "running" };
    }
    throw new BuildRequestError(409, `build ${id} has already finished (${build.status})`);
  });
}

/**
 * Moves the oldest queued builds to running for `runner` (this instance), up to `concurrency` of its own running,
 * never two of one image at once. Returns the claimed build ids. On PostgreSQL several instances claim side by side:
 * each locks the queued rows it takes (FOR UPDATE SKIP LOCKED), so a build is claimed by one of them only.
 */
export async function claimBuilds(prisma: PrismaClient, concurrency: number, runner: string): Promise<number[]> {
  return prisma.$transaction(async (tx) => {
    const postgres = isPostgres(tx);
    if (!postgres) await takeWriteLock(tx);
    const mine = await tx.build.count({ where: { status: "running", runner } });
    const free = concurrency - mine;
    if (free <= 0) return [];
    const running = await tx.build.findMany({ where: { status: "running" }, select: { imageId: true } });
    const busy = new Set(running.map((r) => r.imageId));
    const queued = postgres
      ? (await tx.$queryRaw<{ id: number; imageId: number }[]>`SELECT "id", "imageId" FROM "Build" WHERE "status" = 'queued' ORDER BY "id" LIMIT ${free + busy.size} FOR UPDATE SKIP LOCKED`)
      : await tx.build.findMany({ where: { status: "queued" }, orderBy: { id: "asc" }, take: free + busy.size, select: { id: true, imageId: true } });
    const claimed: number[] = [];
    for (const q of queued) {
      if (claimed.length >= free || busy.has(q.imageId)) continue;
      busy.add(q.imageId);
      claimed.push(q.id);
    }
    if (claimed.length > 0) {
      await tx.build.updateMany({ where: { id: { in: claimed }, status: "queued" }, data: { status: "running", startedAt: new Date(), runner } });
    }
    return claimed;
  });
}

export type Interrupted = { id: number; pid: number | null; pidIdentity: string | null; runner: string | null };

/**
 * Builds left "running" by an instance that is gone become interrupted. At start (`alive` null): this instance's own
 * (`runner`) and those from before instances had ids. Afterwards (`alive`: the instances whose liveness lease runs):
 * those of other instances that stopped answering. Queued ones wait their turn.
 */
export async function markInterrupted(prisma: PrismaClient, runner: string, alive: Set<string> | null = null): Promise<Interrupted[]> {
  return prisma.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const running = await tx.build.findMany({ where: { status: "running" }, select: { id: true, pid: true, pidIdentity: true, startedAt: true, runner: true } });
    const stale = running.filter((b) => (alive === null ? b.runner === null || b.runner === runner : b.runner !== null && b.runner !== runner && !alive.has(b.runner)));
    const now = new Date();
    for (const build of stale) {
      const elsewhere = build.runner !== null && build.runner !== runner;
      await tx.build.update({
        where: { id: build.id },
        data: {
          status: "interrupted",
          finishedAt: now,
          durationMs: build.startedAt ? now.getTime() - build.startedAt.getTime() : null,
          failureReason: elsewhere
            ? `interrupted: the dashboard instance ${build.runner} running this build stopped answering`
            : "interrupted: the dashboard stopped while this build was running",
          pid: null,
          pidIdentity: null,
        },
      });
    }
    return stale.map((b) => ({ id: b.id, pid: b.pid, pidIdentity: b.pidIdentity, runner: b.runner }));
  });
}
