import { readFile, stat } from "node:fs/promises";
import { createPrismaClient } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { importPlan, PlanImportError, type ImportResult } from "@/lib/plan/import";
import { parsePlan, PlanParseError } from "@/lib/plan/parse";
import { MAX_PLAN_BYTES } from "@/lib/plan/limits";
import { CLI_ACTOR } from "@/lib/audit/audit";

function describeImport(result: ImportResult): string[] {
  if (result.unchanged) return ["Nothing to change: the database already holds this plan."];
  const verb = result.dryRun ? "Would" : "Did";
  const lines: string[] = [];
  const { phases, images } = result;
  lines.push(
    `${verb} create ${phases.created.length}, update ${phases.updated.length} and remove ${phases.removed.length} phase(s).`,
    `${verb} create ${images.created.length}, update ${images.updated.length} and remove ${images.removed.length} image(s); ${images.unchanged} unchanged.`,
  );
  for (const c of images.created) lines.push(`  + ${c.name} (phase ${c.phase})`);
  for (const u of images.updated) lines.push(`  ~ ${u.name}: ${u.fields.join(", ")}`);
  for (const r of images.removed) lines.push(`  - ${r.name}${r.builds ? ` (${r.builds} build record(s) would be deleted)` : ""}`);
  return lines;
}

export async function planImportCommand(file: string, opts: { dryRun?: boolean; allowRemovals?: boolean }): Promise<number> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error("not a regular file");
    if (info.size > MAX_PLAN_BYTES) throw new Error(`too large (${info.size} bytes; the limit is ${MAX_PLAN_BYTES})`);
    text = await readFile(file, "utf8");
  } catch (error) {
    console.error(`lucid: cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }

  let plan;
  try {
    plan = parsePlan(text);
  } catch (error) {
    if (!(error instanceof PlanParseError)) throw error;
    console.error(`lucid: ${file} is not a valid build plan; nothing was imported.`);
    for (const issue of error.issues) console.error(`${file}:${issue.line}: ${issue.message}`);
    return 1;
  }
  for (const w of plan.warnings) console.warn(`${file}:${w.line}: warning: ${w.message}`);
  const imageCount = plan.phases.reduce((n, p) => n + p.images.length, 0);
  console.log(`${file}: ${plan.phases.length} phase(s), ${imageCount} image(s).`);

  await deployMigrations();
  const prisma = createPrismaClient();
  try {
    const result = await importPlan(prisma, plan, {
      source: file,
      document: text,
      dryRun: opts.dryRun,
      allowRemovals: opts.allowRemovals,
      actor: CLI_ACTOR,
    });
    for (const line of describeImport(result)) console.log(line);
    if (result.dryRun && !result.unchanged) console.log("Dry run: nothing was written.");
    return 0;
  } catch (error) {
    if (!(error instanceof PlanImportError)) throw error;
    console.error(`lucid: ${error.message} (pass --allow-removals)`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
}
