"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { importPlan, PlanImportError, type ImportResult } from "@/lib/plan/import";
import { parsePlan, PlanParseError, type PlanIssue } from "@/lib/plan/parse";
import { MAX_PLAN_BYTES } from "@/lib/plan/limits";
import { PERMISSIONS } from "@/lib/auth/roles";
import { guardAction } from "@/lib/actions/guard";

const importForm = z.object({
  document: z
    .string()
    .refine((s) => s.trim().length > 0, "Paste a build-commands document or choose a file.")
    .refine((s) => Buffer.byteLength(s) <= MAX_PLAN_BYTES, `The document is larger than ${MAX_PLAN_BYTES / 1e6} MB.`),
  source: z.string().trim().max(200).default("pasted document"),
  confirm: z.enum(["preview", "import"]),
  allowRemovals: z.literal("on").optional(),
});

export type ImportPhasePreview = { number: number; category: string; required: number; images: { name: string; dockerfile: string }[] };

/**
 * The import is a two-step form (preview, then confirm), so its answer carries the preview itself; the role
 * check and the form parsing are the same as every other action's (lib/actions/guard.ts).
 */
export type ImportState =
  | { kind: "idle" }
  | { kind: "invalid"; message: string; issues: PlanIssue[] }
  | { kind: "preview"; result: ImportResult; phases: ImportPhasePreview[]; warnings: PlanIssue[]; sha256: string }
  | { kind: "imported"; result: ImportResult };

/** Previews or applies an import; both parse the same way, and only "import" writes. Admins only (preview too). */
export async function submitPlanImport(_prev: ImportState, formData: FormData): Promise<ImportState> {
  const guarded = await guardAction(PERMISSIONS["plan:import"], importForm, {
    document: formData.get("document") ?? "",
    source: formData.get("source") || undefined,
    confirm: formData.get("confirm"),
    allowRemovals: formData.get("allowRemovals") ?? undefined,
  });
  if (!guarded.ok) return { kind: "invalid", message: Object.values(guarded.result.fieldErrors).join(" "), issues: [] };
  const { user } = guarded;
  const { document, source, confirm, allowRemovals } = guarded.input;

  let plan;
  try {
    plan = parsePlan(document);
  } catch (error) {
    if (!(error instanceof PlanParseError)) throw error;
    return { kind: "invalid", message: "The document is not a valid build plan. Nothing was imported.", issues: error.issues };
  }

  try {
    const result = await importPlan(prisma, plan, {
      source,
      document,
      dryRun: confirm === "preview",
      allowRemovals: allowRemovals === "on",
      actor: user.actor,
    });
    if (confirm === "preview") {
      const phases = plan.phases.map((p) => ({
        number: p.number,
        category: p.category,
        required: p.required,
        images: p.images.map((i) => ({ name: i.name, dockerfile: i.dockerfile })),
      }));
      return { kind: "preview", result, phases, warnings: plan.warnings, sha256: result.sha256 };
    }
    revalidatePath("/");
    return { kind: "imported", result };
  } catch (error) {
    if (!(error instanceof PlanImportError)) throw error;
    return { kind: "invalid", message: error.message, issues: [] };
  }
}
