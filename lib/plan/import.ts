import { createHash } from "node:crypto";
import { chunks } from "@/lib/db/chunks";
import { ACTIVE_BUILD_STATUSES } from "@/lib/db/vocabulary";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { jsonStrings } from "@/lib/db/json";
import type { ParsedImage, ParsedPlan } from "@/lib/plan/parse";
import { audit, type Actor } from "@/lib/audit/audit";

/** Per-image settings the build-commands document does not carry (port, health path, runtime user). */
export type ServiceDefaults = Record<string, { port?: number | null; healthPath?: string | null; expectedUser?: string }>;

export type ImportOptions = {
  /** Where the document came from, e.g. a file name or "ui upload". */
  source: string;
  /** The document text, for its checksum. */
  document: string;
  dryRun?: boolean;
  /** Images that have build records may only be removed when this is set. */
  allowRemovals?: boolean;
  serviceDefaults?: ServiceDefaults;
  /** Who imports; an import that writes is then audited in its transaction. */
  actor?: Actor;
};

export type ImageChange = { name: string; phase: number; fields: string[] };
export type RemovedImage = { name: string; builds: number };

export type ImportResult = {
  sha256: string;
  dryRun: boolean;
  unchanged: boolean;
  phases: { created: number[]; updated: number[]; removed: number[] };
  images: { created: ImageChange[]; updated: ImageChange[]; removed: RemovedImage[]; unchanged: number };
};

export class PlanImportError extends Error {}

type ExistingImage = Awaited<ReturnType<typeof loadExisting>>["images"][number];

function loadExisting(prisma: PrismaClient) {
  return prisma.$transaction(async (tx) => ({
    phases: await tx.phase.findMany(),
    images: await tx.image.findMany({ include: { phase: true, _count: { select: { builds: true } } } }),
  }));
}

function changedFields(existing: ExistingImage, phaseNumber: number, parsed: ParsedImage): string[] {
  const fields: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (existing.phase.number !== phaseNumber) fields.push("phase");
  if (existing.step !== parsed.step) fields.push("step");
  if (existing.title !== parsed.title) fields.push("title");
  if (existing.repository !== parsed.repository) fields.push("repository");
  if (!same(jsonStrings(existing.tags), parsed.tags)) fields.push("tags");
  if (existing.dockerfile !== parsed.dockerfile) fields.push("dockerfile");
  if (existing.context !== parsed.context) fields.push("context");
  if (!same(jsonStrings(existing.platforms), parsed.platforms)) fields.push("platforms");
  if (existing.push !== parsed.push) fields.push("push");
  if (existing.sourceLine !== parsed.line) fields.push("line");
  return fields;
}

function planFields(parsed: ParsedImage) {
  return {
    step: parsed.step,
    title: parsed.title,
    repository: parsed.repository,
    tags: parsed.tags,
    dockerfile: parsed.dockerfile,
    context: parsed.context,
    platforms: parsed.platforms,
    push: parsed.push,
    sourceLine: parsed.line,
  };
}

/**
 * Makes the database hold exactly the parsed plan, in one transaction. Settings that the document
 * does not carry (port, health path, user) are kept on images that already exist. Importing the
 * same document twice writes nothing the second time.
 */
export async function importPlan(prisma: PrismaClient, plan: ParsedPlan, options: ImportOptions): Promise<ImportResult> {
  const sha256 = createHash("sha256").update(options.document).digest("hex");
  const existing = await loadExisting(prisma);
  const existingImages = new Map(existing.images.map((i) => [i.name, i]));
  const existingPhases = new Map(existing.phases.map((p) => [p.number, p]));
  const planned = plan.phases.flatMap((phase) => phase.images.map((image) => ({ phase: phase.number, image })));
  const plannedNames = new Set(planned.map((p) => p.image.name));
  const plannedPhases = new Set(plan.phases.map((p) => p.number));

  const result: ImportResult = {
    sha256,
    dryRun: Boolean(options.dryRun),
    unchanged: false,
    phases: {
      created: plan.phases.filter((p) => !existingPhases.has(p.number)).map((p) => p.number),
      updated: plan.phases
        .filter((p) => {
          const old = existingPhases.get(p.number);
          return old && (old.name !== p.name || old.category !== p.category || old.required !== p.required);
        })
        .map((p) => p.number),
      removed: existing.phases.filter((p) => !plannedPhases.has(p.number)).map((p) => p.number),
    },
    images: { created: [], updated: [], removed: [], unchanged: 0 },
  };

  for (const { phase, image } of planned) {
    const old = existingImages.get(image.name);
    if (!old) {
      result.images.created.push({ name: image.name, phase, fields: [] });
      continue;
    }
    const fields = changedFields(old, phase, image);
    if (fields.length > 0) result.images.updated.push({ name: image.name, phase, fields });
    else result.images.unchanged += 1;
  }
  result.images.removed = existing.images
    .filter((i) => !plannedNames.has(i.name))
    .map((i) => ({ name: i.name, builds: i._count.builds }));

  result.unchanged =
    result.phases.created.length + result.phases.updated.length + result.phases.removed.length === 0 &&
    result.images.created.length + result.images.updated.length + result.images.removed.length === 0;

  const withHistory = result.images.removed.filter((r) => r.builds > 0);
  if (withHistory.length > 0 && !options.allowRemovals && !options.dryRun) {
    throw new PlanImportError(
      `the document drops ${withHistory.length} image(s) that have build records (${withHistory
        .map((r) => `${r.name}: ${r.builds}`)
        .join(", ")}); importing it would delete that history. Confirm removals to go ahead.`,
    );
  }
  if (result.dryRun || result.unchanged) return result;

  await prisma.$transaction(async (tx) => {
    const removedNames = result.images.removed.map((r) => r.name);
    if (removedNames.length > 0) {
      // Checked again inside the write: a build queued since the preview must not be deleted under its runner.
      const active = [];
      let history = 0;
      for (const names of chunks(removedNames)) {
        active.push(
          ...(await tx.build.findMany({
            where: { status: { in: [...ACTIVE_BUILD_STATUSES] }, image: { name: { in: names } } },
            select: { id: true, image: { select: { name: true } } },
          })),
        );
        history += await tx.build.count({ where: { image: { name: { in: names } } } });
      }
      if (active.length > 0) {
        throw new PlanImportError(
          `the document drops image(s) with a build queued or running (${active.map((b) => `${b.image.name}: build ${b.id}`).join(", ")}); wait for it or cancel it first`,
        );
      }
      if (history > 0 && !options.allowRemovals) {
        throw new PlanImportError(`the document drops image(s) that have ${history} build record(s); importing it would delete that history. Confirm removals to go ahead.`);
      }
      for (const names of chunks(removedNames)) await tx.image.deleteMany({ where: { name: { in: names } } });
    }

    const phaseIds = new Map<number, number>();
    for (const phase of plan.phases) {
      const row = await tx.phase.upsert({
        where: { number: phase.number },
        create: { number: phase.number, name: phase.name, category: phase.category, required: phase.required },
        update: { name: phase.name, category: phase.category, required: phase.required },
      });
      phaseIds.set(phase.number, row.id);
    }

    const touched = new Set([...result.images.created, ...result.images.updated].map((c) => c.name));
    for (const { phase, image } of planned) {
      if (!touched.has(image.name)) continue;
      const phaseId = phaseIds.get(phase)!;
      const defaults = options.serviceDefaults?.[image.name] ?? {};
      await tx.image.upsert({
        where: { name: image.name },
        create: { name: image.name, phaseId, ...planFields(image), ...defaults },
        update: { phaseId, ...planFields(image) },
      });
    }

    if (result.phases.removed.length > 0) await tx.phase.deleteMany({ where: { number: { in: result.phases.removed } } });

    await tx.planImport.create({
      data: {
        source: options.source,
        sha256,
        phaseCount: plan.phases.length,
        imageCount: planned.length,
        created: result.images.created.length,
        updated: result.images.updated.length,
        removed: result.images.removed.length,
      },
    });
    if (options.actor) {
      await audit(options.actor, "plan.import", `plan ${options.source}`, {
        sha256,
        phases: result.phases,
        created: result.images.created.map((c) => c.name),
        updated: result.images.updated.map((c) => `${c.name} (${c.fields.join(", ")})`),
        removed: result.images.removed.map((r) => r.name),
        unchanged: result.images.unchanged,
      }, tx);
    }
  });
  return result;
}
