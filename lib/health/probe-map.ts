// Which images are deployed and where each is probed: one answer for the poller, the badges, the image page and
// the status page. With readable Compose files (lib/deploy), the deployment decides: an image is deployed when a
// service runs it, and probed on the host port that service publishes for its health check, at that check's path.
// Without them, deployed means a pushed build, and the plan's port and path are probed. Either way an admin's
// explicit target (Edit target on the image page) wins. Unreadable Compose files change nothing: the plan applies.
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/types";
import { PUSHED_BUILD } from "@/lib/db/vocabulary";
import { readDeclaredDeployment } from "@/lib/deploy/load";
import type { Env } from "@/lib/env";

export type ProbeSource = "admin" | "deployment" | "plan";

export type ProbeEntry = { port: number; path: string; source: ProbeSource };

export type ProbeMap = {
  /** deployment: the Compose files say what is deployed; builds: a pushed build does. */
  basis: "deployment" | "builds";
  deployed: ReadonlySet<number>;
  /** Where each image is probed; an image without an entry has no port and path to probe. */
  targets: ReadonlyMap<number, ProbeEntry>;
};

/** Without a readable Compose declaration, deployed means a pushed build, or a target an admin set. */
export const DEPLOYED = { OR: [{ healthTargetSetAt: { not: null } }, { builds: { some: PUSHED_BUILD } }] } satisfies Prisma.ImageWhereInput;

const imageSelect = { id: true, name: true, port: true, healthPath: true, healthTargetSetAt: true } as const;

/** The probe map of every image, or of those `where` selects. */
export async function probeMap(db: Db, where: Prisma.ImageWhereInput = {}, env: Env = process.env): Promise<ProbeMap> {
  const [images, read] = await Promise.all([db.image.findMany({ where, select: imageSelect }), readDeclaredDeployment(db, env)]);
  const targets = new Map<number, ProbeEntry>();
  const deployed = new Set<number>();
  const own = (image: (typeof images)[number]): ProbeEntry | null =>
    image.port !== null && image.healthPath ? { port: image.port, path: image.healthPath, source: image.healthTargetSetAt ? "admin" : "plan" } : null;

  if (read.configured && read.declared.ok) {
    const { services } = read.declared;
    for (const image of images) {
      const service = services.find((s) => s.image === image.name);
      const mine = own(image);
      if (image.healthTargetSetAt && mine) {
        deployed.add(image.id);
        targets.set(image.id, mine);
      } else if (service) {
        deployed.add(image.id);
        const { port, path } = service.health;
        if (port !== null && path) targets.set(image.id, { port, path, source: "deployment" });
      }
    }
    return { basis: "deployment", deployed, targets };
  }

  const pushed = await db.image.findMany({ where: { AND: [where, DEPLOYED] }, select: { id: true } });
  for (const { id } of pushed) deployed.add(id);
  for (const image of images) {
    const mine = own(image);
    if (mine) targets.set(image.id, mine);
  }
  return { basis: "builds", deployed, targets };
}
