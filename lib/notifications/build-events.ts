// Build failed, build fixed: told in the transaction that records the outcome. Repeated failures of one image are
// told once, until a build of it succeeds again (then "fixed" is told once).
import type { Env } from "@/lib/env";
import { emit, setToldState, toldState, type Tx } from "@/lib/notifications/outbox";

export type BuildOutcome = { imageId: number; buildId: number; status: string; reason: string | null };

export async function notifyBuildOutcome(tx: Tx, outcome: BuildOutcome, env: Env = process.env): Promise<void> {
  if (outcome.status !== "failed" && outcome.status !== "succeeded") return;
  const image = await tx.image.findUnique({ where: { id: outcome.imageId }, select: { name: true, phase: { select: { number: true } } } });
  if (!image) return;
  const key = `build:${image.name}`;
  const told = await toldState(tx, key);
  const common = { image: image.name, phase: image.phase.number, path: `/builds/${outcome.buildId}`, data: { build: outcome.buildId } };
  if (outcome.status === "failed" && told !== "failing") {
    await emit(tx, { ...common, type: "build.failed", title: `${image.name}: build #${outcome.buildId} failed`, text: outcome.reason ?? "the builder failed; the log says why" }, env);
    await setToldState(tx, key, "failing");
  } else if (outcome.status === "succeeded" && told === "failing") {
    await emit(tx, { ...common, type: "build.fixed", title: `${image.name}: build #${outcome.buildId} succeeded again`, text: `The first successful build of ${image.name} after failures.` }, env);
    await setToldState(tx, key, "ok");
  }
}
