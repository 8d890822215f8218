"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { BuildRequestError, requestBuild, requestCancel, requestPhaseBuilds } from "@/lib/builds/queue";
import { precheckBuild } from "@/lib/builds/prepare";
import { buildWorker } from "@/lib/builds/worker";
import { IMAGE_NAME_PATTERN } from "@/lib/http";
import { requireRole } from "@/lib/auth/session";
import { PERMISSIONS } from "@/lib/auth/roles";
import { checkBuildTrigger, RateLimitedError } from "@/lib/security/rate-limit";

export type ActionState = { error: string | null; message: string | null };

const imageForm = z.object({ image: z.string().regex(IMAGE_NAME_PATTERN, "That is not an image name from the plan.") });
const phaseForm = z.object({ phase: z.coerce.number().int().min(1).max(99) });
const buildForm = z.object({ id: z.coerce.number().int().min(1) });

function failure(error: unknown): ActionState {
  if (error instanceof BuildRequestError || error instanceof RateLimitedError) return { error: error.message, message: null };
  throw error;
}

/** Rebuild one image; goes to the build page to watch its log. Operators and admins. */
export async function rebuildImage(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireRole(PERMISSIONS["builds:run"]);
  const parsed = imageForm.safeParse({ image: formData.get("image") });
  if (!parsed.success) return { error: parsed.error.issues[0]!.message, message: null };
  let id: number;
  try {
    checkBuildTrigger(user.actor);
    ({ id } = await requestBuild(prisma, parsed.data.image, { source: "dashboard", startedBy: user.actor }, precheckBuild));
  } catch (error) {
    return failure(error);
  }
  buildWorker().kick();
  revalidatePath("/");
  redirect(`/builds/${id}`);
}

/** Queue every incomplete image of a phase. Operators and admins. */
export async function buildPhase(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireRole(PERMISSIONS["builds:run"]);
  const parsed = phaseForm.safeParse({ phase: formData.get("phase") });
  if (!parsed.success) return { error: "That is not a phase number.", message: null };
  try {
    checkBuildTrigger(user.actor);
    const result = await requestPhaseBuilds(prisma, parsed.data.phase, { source: "dashboard", startedBy: user.actor }, precheckBuild);
    buildWorker().kick();
    revalidatePath("/");
    const created = result.queued.filter((q) => q.created).length;
    const skipped = result.skipped.map((s) => `${s.image}: ${s.reason}`);
    return {
      error: skipped.length > 0 && created === 0 ? `Nothing queued. ${skipped.join("; ")}` : null,
      message: `${created} build${created === 1 ? "" : "s"} queued.${skipped.length ? ` Skipped ${skipped.join("; ")}` : ""}`,
    };
  } catch (error) {
    return failure(error);
  }
}

/** Cancel a queued or running build. Operators and admins. */
export async function cancelBuild(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const user = await requireRole(PERMISSIONS["builds:run"]);
  const parsed = buildForm.safeParse({ id: formData.get("id") });
  if (!parsed.success) return { error: "That is not a build id.", message: null };
  try {
    const result = await requestCancel(prisma, parsed.data.id, user.actor);
    buildWorker().poll();
    revalidatePath(`/builds/${parsed.data.id}`);
    return { error: null, message: result.status === "cancelled" ? "Cancelled." : "Stopping the build…" };
  } catch (error) {
    return failure(error);
  }
}
