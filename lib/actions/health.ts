"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { checkNow as probeNow, setDeployTarget, setHealthTarget } from "@/lib/commands/health";
import { describeProbe } from "@/lib/health/format";
import type { ProbeOutcome } from "@/lib/db/vocabulary";
import { deployTargetInput } from "@/lib/health/settings";
import { healthTargetInput } from "@/lib/health/targets";
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";
import { PERMISSIONS } from "@/lib/auth/roles";
import { formText, guardAction } from "@/lib/actions/guard";
import { invalid, saved, type ActionResult } from "@/lib/actions/result";

/** `values`: what the form shows next (the submitted fields when refused, the stored ones when saved). */
export type DeployTargetState = ActionResult & { values: { host: string; scheme: string } };

export type HealthTargetValues = { port: string; healthPath: string; expectField: string; expectValue: string };

/** `values` are the submitted fields when they were refused, so the form can show them again. */
export type HealthTargetState = ActionResult & { values: HealthTargetValues | null };

export type CheckNowState = ActionResult & { outcome: ProbeOutcome | null };

const imageForm = z.object({ image: z.string().regex(IMAGE_NAME_PATTERN, "That is not an image name from the plan.") });

/** Sets the deployment host and scheme; an empty host turns polling off. Admins only. */
export async function saveDeployTarget(_prev: DeployTargetState, formData: FormData): Promise<DeployTargetState> {
  const values = { host: formText(formData, "host"), scheme: formText(formData, "scheme") || "http" };
  const guarded = await guardAction(PERMISSIONS["settings:write"], deployTargetInput, values);
  if (!guarded.ok) return { ...guarded.result, values };
  const target = guarded.input;
  const changed = await setDeployTarget(guarded.user.actor, target);
  revalidatePath("/settings");
  revalidatePath("/");
  return {
    ...saved(target ? `${changed ? "Saved" : "Unchanged"}: services are polled on ${target.scheme}://${target.host}.` : "Saved: polling is off."),
    values: { host: target?.host ?? "", scheme: target?.scheme ?? values.scheme },
  };
}

/** Sets an image's port, health path and optional expectation (an empty port or path: not polled). Admins only. */
export async function saveHealthTarget(_prev: HealthTargetState, formData: FormData): Promise<HealthTargetState> {
  const values: HealthTargetValues = {
    port: formText(formData, "port"),
    healthPath: formText(formData, "healthPath"),
    expectField: formText(formData, "expectField"),
    expectValue: formText(formData, "expectValue"),
  };
  const guarded = await guardAction(PERMISSIONS["settings:write"], healthTargetInput, { image: formText(formData, "image"), ...values });
  if (!guarded.ok) return { ...guarded.result, values };
  const input = guarded.input;
  const result = await setHealthTarget(guarded.user.actor, input);
  if (result === "unknown_image") return { ...invalid(null, { image: `There is no image "${input.image}" in the plan.` }), values };
  revalidatePath(`/images/${input.image}`);
  const polled = input.port !== null && input.healthPath !== null;
  return { ...saved(result === "unchanged" ? "Nothing changed." : polled ? "Saved: the next probe uses the new target." : "Saved: this image is not polled."), values: null };
}

/** Probes one image now and records the sample. Operators and admins. */
export async function checkNow(_prev: CheckNowState, formData: FormData): Promise<CheckNowState> {
  const guarded = await guardAction(PERMISSIONS["health:check"], imageForm, { image: formData.get("image") });
  if (!guarded.ok) return { ...guarded.result, outcome: null };
  const check = await probeNow(guarded.user.actor, guarded.input.image);
  if (!check.ok) return { ...invalid(check.message), outcome: null };
  revalidatePath(`/images/${guarded.input.image}`);
  return { ...saved(describeProbe(check.result)), outcome: check.result.outcome };
}
