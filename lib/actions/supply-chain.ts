"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { BuildRequestError } from "@/lib/builds/queue";
import { checkSupplyChain, rebuildStale } from "@/lib/commands/supply-chain";
import { PERMISSIONS } from "@/lib/auth/roles";
import { RateLimitedError } from "@/lib/security/rate-limit";
import { guardAction } from "@/lib/actions/guard";
import { CosignKeyError } from "@/lib/supply-chain/signature";
import { invalid, saved, type ActionResult } from "@/lib/actions/result";

const noInput = z.object({});

/** Check every base's tag and every latest push's attestations now. Operators and admins. */
export async function checkBasesNow(_prev: ActionResult, _formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["builds:run"], noInput, {});
  if (!guarded.ok) return guarded.result;
  let result;
  try {
    result = await checkSupplyChain(guarded.user.actor, "dashboard");
  } catch (error) {
    if (error instanceof CosignKeyError) return invalid(error.message);
    throw error;
  }
  revalidatePath("/bases");
  const parts = [
    `${result.checked} base${result.checked === 1 ? "" : "s"} checked`,
    result.skipped > 0 ? `${result.skipped} checked less than a minute ago` : null,
    result.moved.length > 0 ? `${result.moved.length} moved (${result.moved.join(", ")})` : null,
    `attestations of ${result.images} image${result.images === 1 ? "" : "s"} read`,
  ].filter(Boolean);
  const failed = [...result.failed.map((f) => `${f.reference}: ${f.error}`), ...result.readFailures.map((f) => `${f.image}: ${f.error}`)];
  if (failed.length > 0) return invalid(`${parts.join(", ")}. Could not read ${failed.length}: ${failed.slice(0, 3).join("; ")}${failed.length > 3 ? "; …" : ""}`);
  return saved(`${parts.join(", ")}.`);
}

/** Queue a rebuild of every image built from an older base digest, in plan order. Operators and admins. */
export async function rebuildStaleImages(_prev: ActionResult, _formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["builds:run"], noInput, {});
  if (!guarded.ok) return guarded.result;
  try {
    const result = await rebuildStale(guarded.user.actor, "dashboard");
    revalidatePath("/bases");
    revalidatePath("/");
    const created = result.queued.filter((q) => q.created).map((q) => q.image);
    const skipped = result.skipped.map((s) => `${s.image}: ${s.reason}`);
    if (created.length === 0) return invalid(`Nothing queued.${skipped.length ? ` ${skipped.join("; ")}` : " No image needs a rebuild."}`);
    return saved(`${created.length} rebuild${created.length === 1 ? "" : "s"} queued: ${created.join(", ")}.${skipped.length ? ` Skipped ${skipped.join("; ")}` : ""}`);
  } catch (error) {
    if (error instanceof BuildRequestError || error instanceof RateLimitedError) return invalid(error.message);
    throw error;
  }
}
