"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { BuildRequestError } from "@/lib/builds/queue";
import { cancelBuild as cancel, triggerBuild, triggerPhase } from "@/lib/commands/builds";
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";
import { PERMISSIONS } from "@/lib/auth/roles";
import { RateLimitedError } from "@/lib/security/rate-limit";
import { guardAction } from "@/lib/actions/guard";
import { invalid, saved, type ActionResult } from "@/lib/actions/result";

const imageForm = z.object({ image: z.string().regex(IMAGE_NAME_PATTERN, "That is not an image name from the plan.") });
const phaseForm = z.object({ phase: z.coerce.number({ error: "That is not a phase number." }).int("That is not a phase number.").min(1, "That is not a phase number.").max(99, "That is not a phase number.") });
const buildForm = z.object({ id: z.coerce.number({ error: "That is not a build id." }).int("That is not a build id.").min(1, "That is not a build id.") });

function failure(error: unknown): ActionResult {
  if (error instanceof BuildRequestError || error instanceof RateLimitedError) return invalid(error.message);
  throw error;
}

/** Rebuild one image; goes to the build page to watch its log. Operators and admins. */
export async function rebuildImage(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["builds:run"], imageForm, { image: formData.get("image") });
  if (!guarded.ok) return guarded.result;
  let id: number;
  try {
    ({ id } = await triggerBuild(guarded.user.actor, guarded.input.image, "dashboard"));
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/");
  redirect(`/builds/${id}`);
}

/** Queue every incomplete image of a phase. Operators and admins. */
export async function buildPhase(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["builds:run"], phaseForm, { phase: formData.get("phase") });
  if (!guarded.ok) return guarded.result;
  try {
    const result = await triggerPhase(guarded.user.actor, guarded.input.phase, "dashboard");
    revalidatePath("/");
    const created = result.queued.filter((q) => q.created).length;
    const skipped = result.skipped.map((s) => `${s.image}: ${s.reason}`);
    if (skipped.length > 0 && created === 0) return invalid(`Nothing queued. ${skipped.join("; ")}`);
    return saved(`${created} build${created === 1 ? "" : "s"} queued.${skipped.length ? ` Skipped ${skipped.join("; ")}` : ""}`);
  } catch (error) {
    return failure(error);
  }
}

/** Cancel a queued or running build. Operators and admins. */
export async function cancelBuild(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["builds:run"], buildForm, { id: formData.get("id") });
  if (!guarded.ok) return guarded.result;
  try {
    const result = await cancel(guarded.user.actor, guarded.input.id);
    revalidatePath(`/builds/${guarded.input.id}`);
    return saved(result.status === "cancelled" ? "Cancelled." : "Stopping the build…");
  } catch (error) {
    return failure(error);
  }
}
