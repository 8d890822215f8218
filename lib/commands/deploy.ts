// Changing which Compose files make the deployment: one place for the settings form (and any future API).
import type { Actor } from "@/lib/audit/audit";
import { prisma } from "@/lib/db/client";
import type { ComposeSettings } from "@/lib/deploy/compose/project";
import { readDeclaredDeployment, type DeploymentRead } from "@/lib/deploy/load";
import { applyComposeSettings } from "@/lib/deploy/settings";

/** Stores the files (audited) and reads them at once, so the admin sees whether they can be read. */
export async function setComposeFiles(actor: Actor, settings: ComposeSettings): Promise<{ changed: boolean; read: DeploymentRead }> {
  const changed = await applyComposeSettings(prisma, settings, actor);
  return { changed, read: await readDeclaredDeployment(prisma) };
}
