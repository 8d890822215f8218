// The deployment as declared, read for the app: the configured Compose files from the checkout, matched to the
// plan's images as stored. Never throws for what an admin can fix (no files configured, no checkout, a broken
// file): those come back as a reason or as the project's problems.
import { CheckoutPathError, checkoutRoot } from "@/lib/checkout/checkout";
import { jsonStrings } from "@/lib/db/json";
import type { Db } from "@/lib/db/types";
import { loadComposeProject } from "@/lib/deploy/compose/project";
import { declaredDeployment, type DeclaredDeployment, type PlanImageRef } from "@/lib/deploy/declared";
import { getComposeSettings, type ComposeSettingsSource } from "@/lib/deploy/settings";
import type { Env } from "@/lib/env";

export type DeploymentRead =
  | { configured: false; reason: string }
  | { configured: true; settings: ComposeSettingsSource; declared: DeclaredDeployment };

export async function planImageRefs(db: Db): Promise<PlanImageRef[]> {
  const images = await db.image.findMany({
    select: { name: true, repository: true, tags: true, port: true, healthPath: true },
    orderBy: [{ phase: { number: "asc" } }, { step: "asc" }],
  });
  return images.map((i) => ({ ...i, tags: jsonStrings(i.tags) }));
}

export async function readDeclaredDeployment(db: Db, env: Env = process.env): Promise<DeploymentRead> {
  const settings = await getComposeSettings(db, env);
  if (settings.files.length === 0) return { configured: false, reason: "no Compose files are configured (Settings, or LUCID_COMPOSE_FILES)" };
  let root: string;
  try {
    root = checkoutRoot(env);
  } catch (error) {
    if (!(error instanceof CheckoutPathError)) throw error;
    return { configured: false, reason: error.message };
  }
  const [project, plan] = await Promise.all([loadComposeProject(root, settings), planImageRefs(db)]);
  return { configured: true, settings, declared: declaredDeployment(project, plan) };
}
