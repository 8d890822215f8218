"use server";

import { revalidatePath } from "next/cache";
import { setComposeFiles } from "@/lib/commands/deploy";
import { composeSettingsInput } from "@/lib/deploy/settings";
import { PERMISSIONS } from "@/lib/auth/roles";
import { formText, guardAction } from "@/lib/actions/guard";
import { saved, type ActionResult } from "@/lib/actions/result";

export type ComposeSettingsState = ActionResult & { values: { files: string; envFile: string } };

/** Sets the Compose files of the deployment (none: LUCID_COMPOSE_FILES applies again). Admins only. */
export async function saveComposeSettings(_prev: ComposeSettingsState, formData: FormData): Promise<ComposeSettingsState> {
  const values = { files: formText(formData, "files"), envFile: formText(formData, "envFile") };
  const guarded = await guardAction(PERMISSIONS["settings:write"], composeSettingsInput, values);
  if (!guarded.ok) return { ...guarded.result, values };
  const { changed, read } = await setComposeFiles(guarded.user.actor, guarded.input);
  revalidatePath("/settings");
  revalidatePath("/");
  const verb = changed ? "Saved" : "Unchanged";
  const outcome = !read.configured
    ? `no deployment is declared (${read.reason})`
    : read.declared.ok
      ? `${read.declared.services.length} services read; ${read.declared.services.filter((s) => s.image !== null).length} run plan images`
      : `the files cannot be read: ${read.declared.problems.length} problem${read.declared.problems.length === 1 ? "" : "s"}, listed below`;
  return { ...saved(`${verb}: ${outcome}.`), values: { files: guarded.input.files.join("\n"), envFile: guarded.input.envFile ?? "" } };
}
