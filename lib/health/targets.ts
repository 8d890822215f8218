// What is polled: one URL per image with a port and a health path, on the deployment host.
import { z } from "zod";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";
import { resetHealth } from "@/lib/health/record";
import { audit, type Actor } from "@/lib/audit/audit";
import type { Db, DeployTarget } from "@/lib/health/settings";
import type { HealthExpectation } from "@/lib/health/judge";
import { probeMap } from "@/lib/health/probe-map";


export type HealthTarget = { imageId: number; name: string; url: string; expect: HealthExpectation | null };

const DEFAULT_PORT = { http: "80", https: "443" } as const;

/**
 * The health URL of a port and path on the deployment host, or null when the pieces do not make a URL on
 * exactly that host and port (so a stored path can never point a probe somewhere else).
 */
export function targetUrl(deploy: DeployTarget, port: number, path: string): string | null {
  let url: URL;
  try {
    url = new URL(`${deploy.scheme}://${deploy.host}:${port}${path}`);
  } catch {
    return null;
  }
  if (url.hostname !== deploy.host || (url.port || DEFAULT_PORT[deploy.scheme]) !== String(port)) return null;
  return url.href;
}

export function expectationOf(image: { healthExpectField: string | null; healthExpectValue: string | null }): HealthExpectation | null {
  return image.healthExpectField && image.healthExpectValue !== null ? { field: image.healthExpectField, value: image.healthExpectValue } : null;
}

export const isPolledImage = (image: { port: number | null; healthPath: string | null }): boolean => image.port !== null && !!image.healthPath;

const targetSelect = { id: true, name: true, healthExpectField: true, healthExpectValue: true } as const;

/**
 * Every deployed image with a place to probe (lib/health/probe-map.ts), or just the one named, in plan order; empty
 * when no deployment host is set.
 */
export async function listTargets(db: Db, deploy: DeployTarget | null, name?: string): Promise<HealthTarget[]> {
  if (!deploy) return [];
  const map = await probeMap(db, name === undefined ? {} : { name });
  // Filtered here rather than with `id IN (…)`, so no statement grows with the number of images.
  const images = await db.image.findMany({
    where: name === undefined ? {} : { name },
    select: targetSelect,
    orderBy: [{ phase: { number: "asc" } }, { step: "asc" }],
  });
  return images.flatMap((image) => {
    const target = map.deployed.has(image.id) ? map.targets.get(image.id) : undefined;
    const url = target ? targetUrl(deploy, target.port, target.path) : null;
    return url ? [{ imageId: image.id, name: image.name, url, expect: expectationOf(image) }] : [];
  });
}

const HEALTH_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/?]*$/;
const EXPECT_FIELD = /^[A-Za-z0-9_$.-]{1,64}$/;

const blankToNull = (v: string) => (v.trim() === "" ? null : v.trim());

/** The "Edit target" form: port (empty = not polled), health path, optional `field = value` expectation. */
export const healthTargetInput = z
  .object({
    image: z.string().regex(IMAGE_NAME_PATTERN, "That is not an image name from the plan."),
    port: z
      .string()
      .transform(blankToNull)
      .refine((v) => v === null || (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65_535), "The port must be a whole number from 1 to 65535, or empty.")
      .transform((v) => (v === null ? null : Number(v))),
    healthPath: z
      .string()
      .transform(blankToNull)
      .refine((v) => v === null || v.length <= 512, "The path is too long (512 characters at most).")
      .refine((v) => v === null || HEALTH_PATH.test(v), "The path must start with a single / and contain no spaces or #, e.g. /health."),
    expectField: z
      .string()
      .transform(blankToNull)
      .refine((v) => v === null || EXPECT_FIELD.test(v), "The field is a top-level JSON key: letters, digits, _ - . $ (64 at most)."),
    expectValue: z
      .string()
      .transform(blankToNull)
      .refine((v) => v === null || v.length <= 200, "The expected value is too long (200 characters at most)."),
  })
  .superRefine((v, ctx) => {
    if (v.expectField !== null && v.expectValue === null) ctx.addIssue({ code: "custom", path: ["expectValue"], message: `Enter the value "${v.expectField}" must have.` });
    if (v.expectField === null && v.expectValue !== null) ctx.addIssue({ code: "custom", path: ["expectField"], message: "Enter the JSON field this value is compared with." });
  });

export type HealthTargetInput = z.infer<typeof healthTargetInput>;

/**
 * Stores an image's port, path and expectation. A change starts its health over (from `unknown`), since
 * samples of the old target say nothing about the new one.
 */
export async function storeHealthTarget(db: PrismaClient, input: HealthTargetInput, actor?: Actor): Promise<"unknown_image" | "unchanged" | "changed"> {
  return db.$transaction(async (tx) => {
    const image = await tx.image.findUnique({ where: { name: input.image }, select: { id: true, port: true, healthPath: true, healthExpectField: true, healthExpectValue: true, healthTargetSetAt: true } });
    if (!image) return "unknown_image";
    const next = { port: input.port, healthPath: input.healthPath, healthExpectField: input.expectField, healthExpectValue: input.expectValue };
    const changed = (Object.keys(next) as (keyof typeof next)[]).some((key) => image[key] !== next[key]);
    // Saving a target also says the service is deployed: probed from now on, pushed build or not.
    if (!changed && image.healthTargetSetAt !== null) return "unchanged";
    await tx.image.update({ where: { id: image.id }, data: { ...next, healthTargetSetAt: new Date() } });
    await resetHealth(tx, [image.id], new Date());
    if (actor) {
      const before = { port: image.port, healthPath: image.healthPath, healthExpectField: image.healthExpectField, healthExpectValue: image.healthExpectValue };
      await audit(actor, "settings.health_target", `image ${input.image}`, { from: before, to: next }, tx);
    }
    return "changed";
  });
}
