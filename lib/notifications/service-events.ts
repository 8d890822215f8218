// Service down, degraded, recovered: written with the health state change that causes them, sent only if the state
// held (the sender supersedes one whose state changed again before it was due), and "recovered" only after a
// problem was told: a service that flaps is quiet.
import type { Env } from "@/lib/env";
import { emit, type Tx } from "@/lib/notifications/outbox";

export type ServiceChange = { imageId: number; state: "down" | "degraded" | "up"; reason: string | null };

export async function notifyServiceChanges(tx: Tx, changes: ServiceChange[], holdMs: number, env: Env = process.env): Promise<void> {
  if (changes.length === 0) return;
  const images = new Map(
    (await tx.image.findMany({ where: { id: { in: changes.map((c) => c.imageId) } }, select: { id: true, name: true, phase: { select: { number: true } } } })).map((i) => [i.id, i]),
  );
  for (const change of changes) {
    const image = images.get(change.imageId);
    if (!image) continue;
    const common = { image: image.name, phase: image.phase.number, path: `/images/${image.name}#health`, data: { state: change.state } };
    if (change.state === "down") await emit(tx, { ...common, type: "service.down", title: `${image.name} is down`, text: change.reason ?? "its health endpoint stopped answering" }, env);
    else if (change.state === "degraded") await emit(tx, { ...common, type: "service.degraded", title: `${image.name} is degraded`, text: change.reason ?? "its health endpoint says it is degraded", holdMs }, env);
    else await emit(tx, { ...common, type: "service.recovered", title: `${image.name} recovered`, text: "its health endpoint answers healthy again", holdMs }, env);
  }
}
