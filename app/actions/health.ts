"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { describeProbe } from "@/lib/health/format";
import type { ProbeOutcome } from "@/lib/health/outcomes";
import { applyDeployTarget, healthPoller } from "@/lib/health/poller";
import { deployTargetInput } from "@/lib/health/settings";
import { healthTargetInput, storeHealthTarget } from "@/lib/health/targets";
import { IMAGE_NAME_PATTERN } from "@/lib/http";
import { audit } from "@/lib/audit/audit";
import { PERMISSIONS } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";

export type FieldErrors = Record<string, string>;

export type DeployTargetState = {
  status: "idle" | "saved" | "invalid";
  message: string | null;
  fieldErrors: FieldErrors;
  values: { host: string; scheme: string };
};

export type HealthTargetValues = { port: string; healthPath: string; expectField: string; expectValue: string };

/** `values` are the submitted fields when they were refused, so the form can show them again. */
export type HealthTargetState = { status: "idle" | "saved" | "invalid"; message: string | null; fieldErrors: FieldErrors; values: HealthTargetValues | null };

export type CheckNowState = { error: string | null; message: string | null; outcome: ProbeOutcome | null };

const imageForm = z.object({ image: z.string().regex(IMAGE_NAME_PATTERN, "That is not an image name from the plan.") });

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

/** The first message per field, for showing beside each field. */
function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

/** Sets the deployment host and scheme; an empty host turns polling off. Admins only. */
export async function saveDeployTarget(_prev: DeployTargetState, formData: FormData): Promise<DeployTargetState> {
  const user = await requireRole(PERMISSIONS["settings:write"]);
  const values = { host: text(formData, "host"), scheme: text(formData, "scheme") || "http" };
  const parsed = deployTargetInput.safeParse(values);
  if (!parsed.success) return { status: "invalid", message: null, fieldErrors: fieldErrorsOf(parsed.error), values };
  const target = parsed.data;
  const changed = await applyDeployTarget(prisma, target, user.actor);
  if (changed) healthPoller().kick();
  revalidatePath("/settings");
  revalidatePath("/");
  return {
    status: "saved",
    message: target ? `${changed ? "Saved" : "Unchanged"}: services are polled on ${target.scheme}://${target.host}.` : "Saved: polling is off.",
    fieldErrors: {},
    values: { host: target?.host ?? "", scheme: target?.scheme ?? values.scheme },
  };
}

/** Sets an image's port, health path and optional expectation (an empty port or path: not polled). Admins only. */
export async function saveHealthTarget(_prev: HealthTargetState, formData: FormData): Promise<HealthTargetState> {
  const user = await requireRole(PERMISSIONS["settings:write"]);
  const values: HealthTargetValues = {
    port: text(formData, "port"),
    healthPath: text(formData, "healthPath"),
    expectField: text(formData, "expectField"),
    expectValue: text(formData, "expectValue"),
  };
  const parsed = healthTargetInput.safeParse({ image: text(formData, "image"), ...values });
  if (!parsed.success) return { status: "invalid", message: null, fieldErrors: fieldErrorsOf(parsed.error), values };
  const result = await storeHealthTarget(prisma, parsed.data, user.actor);
  if (result === "unknown_image") return { status: "invalid", message: null, fieldErrors: { image: `There is no image "${parsed.data.image}" in the plan.` }, values };
  if (result === "changed") healthPoller().kick();
  revalidatePath(`/images/${parsed.data.image}`);
  const polled = parsed.data.port !== null && parsed.data.healthPath !== null;
  return { status: "saved", message: result === "unchanged" ? "Nothing changed." : polled ? "Saved: the next probe uses the new target." : "Saved: this image is not polled.", fieldErrors: {}, values: null };
}

/** Probes one image now and records the sample. Operators and admins. */
export async function checkNow(_prev: CheckNowState, formData: FormData): Promise<CheckNowState> {
  const user = await requireRole(PERMISSIONS["health:check"]);
  const parsed = imageForm.safeParse({ image: formData.get("image") });
  if (!parsed.success) return { error: parsed.error.issues[0]!.message, message: null, outcome: null };
  const check = await healthPoller().checkNow(parsed.data.image);
  if (!check.ok) return { error: check.message, message: null, outcome: null };
  await audit(user.actor, "health.check", `image ${parsed.data.image}`, { url: check.url, outcome: check.result.outcome, httpStatus: check.result.httpStatus }, prisma);
  revalidatePath(`/images/${parsed.data.image}`);
  return { error: null, message: describeProbe(check.result), outcome: check.result.outcome };
}
