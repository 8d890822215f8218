// Which Compose files make the deployment: an admin's setting (Setting table), else LUCID_COMPOSE_FILES
// (comma-separated paths in the checkout) and LUCID_COMPOSE_ENV_FILE. Unset by default: no deployment declared.
import { z } from "zod";
import { audit, type Actor } from "@/lib/audit/audit";
import type { Db } from "@/lib/db/types";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ComposeSettings } from "@/lib/deploy/compose/project";
import type { Env } from "@/lib/env";

export const COMPOSE_FILES_KEY = "deploy.composeFiles";
export const COMPOSE_ENV_FILE_KEY = "deploy.composeEnvFile";

const MAX_FILES = 20;

const relativePath = z
  .string()
  .trim()
  .min(1)
  .max(300, "A path is at most 300 characters.")
  .refine((p) => !p.includes("\0"), "A path cannot contain a NUL character.")
  .refine((p) => !p.startsWith("/"), "Give paths relative to the checkout (LUCID_REPO_ROOT), not absolute ones.")
  .refine((p) => !p.split(/[\\/]/).includes(".."), "A path cannot leave the checkout (..).");

/** Form or environment input: files as one comma- or newline-separated text, an env file or empty. */
export const composeSettingsInput = z
  .object({ files: z.string().max(MAX_FILES * 301), envFile: z.string().max(300).optional() })
  .transform((input, ctx): ComposeSettings => {
    const files = input.files.split(/[,\n]/).map((f) => f.trim()).filter(Boolean);
    if (files.length > MAX_FILES) ctx.addIssue({ code: "custom", path: ["files"], message: `At most ${MAX_FILES} Compose files.` });
    for (const file of files) {
      const checked = relativePath.safeParse(file);
      if (!checked.success) ctx.addIssue({ code: "custom", path: ["files"], message: `${file.slice(0, 80)}: ${checked.error.issues[0]!.message}` });
    }
    const envFile = input.envFile?.trim() || null;
    if (envFile !== null) {
      const checked = relativePath.safeParse(envFile);
      if (!checked.success) ctx.addIssue({ code: "custom", path: ["envFile"], message: checked.error.issues[0]!.message });
    }
    return { files, envFile };
  });

export type ComposeSettingsSource = ComposeSettings & { source: "setting" | "environment" | "none" };

/** The configured Compose files: the stored setting when an admin saved one, else the environment. */
export async function getComposeSettings(db: Db, env: Env = process.env): Promise<ComposeSettingsSource> {
  const rows = await db.setting.findMany({ where: { key: { in: [COMPOSE_FILES_KEY, COMPOSE_ENV_FILE_KEY] } } });
  const stored = rows.find((r) => r.key === COMPOSE_FILES_KEY);
  if (stored) {
    const parsed = composeSettingsInput.safeParse({ files: stored.value, envFile: rows.find((r) => r.key === COMPOSE_ENV_FILE_KEY)?.value });
    if (parsed.success) return { ...parsed.data, source: "setting" };
  }
  const fromEnv = composeSettingsInput.safeParse({ files: env.LUCID_COMPOSE_FILES ?? "", envFile: env.LUCID_COMPOSE_ENV_FILE });
  if (!fromEnv.success) throw new Error(`LUCID_COMPOSE_FILES or LUCID_COMPOSE_ENV_FILE: ${fromEnv.error.issues[0]!.message}`);
  return fromEnv.data.files.length > 0 ? { ...fromEnv.data, source: "environment" } : { files: [], envFile: null, source: "none" };
}

/** Stores the admin's choice; no files at all removes the setting (the environment applies again). */
async function storeComposeSettings(db: Db, settings: ComposeSettings): Promise<void> {
  if (settings.files.length === 0) {
    await db.setting.deleteMany({ where: { key: { in: [COMPOSE_FILES_KEY, COMPOSE_ENV_FILE_KEY] } } });
    return;
  }
  const files = settings.files.join(",");
  await db.setting.upsert({ where: { key: COMPOSE_FILES_KEY }, create: { key: COMPOSE_FILES_KEY, value: files }, update: { value: files } });
  if (settings.envFile) {
    await db.setting.upsert({ where: { key: COMPOSE_ENV_FILE_KEY }, create: { key: COMPOSE_ENV_FILE_KEY, value: settings.envFile }, update: { value: settings.envFile } });
  } else {
    await db.setting.deleteMany({ where: { key: COMPOSE_ENV_FILE_KEY } });
  }
}

/** Stores the choice and audits it, in one transaction; false when it was already the stored one. */
export async function applyComposeSettings(db: PrismaClient, settings: ComposeSettings, actor: Actor): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const rows = await tx.setting.findMany({ where: { key: { in: [COMPOSE_FILES_KEY, COMPOSE_ENV_FILE_KEY] } } });
    const before = { files: rows.find((r) => r.key === COMPOSE_FILES_KEY)?.value.split(",").filter(Boolean) ?? [], envFile: rows.find((r) => r.key === COMPOSE_ENV_FILE_KEY)?.value ?? null };
    const after = { files: settings.files, envFile: settings.files.length === 0 ? null : (settings.envFile ?? null) };
    if (JSON.stringify(before) === JSON.stringify(after)) return false;
    await storeComposeSettings(tx, after);
    await audit(actor, "settings.compose", "Compose files", { from: before, to: after }, tx);
    return true;
  });
}
