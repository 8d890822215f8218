// Events that are judged rather than recorded: deployment drift (the Pi runs an older push than the latest) and
// compliance that got worse (a rule that passed for an image now fails). Every minute, and after the Pi reports or a
// build finishes, the current picture is compared with what was last told; a change is told once, written with the
// new told state in one transaction.
import { prisma } from "@/lib/db/client";
import { takeWriteLock } from "@/lib/db/write-lock";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Env } from "@/lib/env";
import { emit, setToldState, toldState } from "@/lib/notifications/outbox";
import { planCompliance } from "@/lib/views/compliance";
import { runningView } from "@/lib/views/running";

export type WatchResult = { drift: string[]; worse: string[] };

export async function watchOnce(db: PrismaClient = prisma, env: Env = process.env): Promise<WatchResult> {
  const [running, compliance, phases] = await Promise.all([
    runningView(db),
    planCompliance(db, { env }),
    db.image.findMany({ select: { name: true, phase: { select: { number: true } } } }),
  ]);
  const phaseOf = new Map(phases.map((p) => [p.name, p.phase.number]));
  const result: WatchResult = { drift: [], worse: [] };
  await db.$transaction(async (tx) => {
    await takeWriteLock(tx);
    for (const c of running.containers) {
      if (!c.planImage || !c.drift) continue;
      const key = `drift:${c.service}`;
      const now = c.drift.status === "behind" ? `behind:${c.drift.latestBuild}` : c.drift.status;
      const before = await toldState(tx, key);
      if (before === now) continue;
      await setToldState(tx, key, now);
      if (c.drift.status !== "behind" || before === null) continue;
      const behind = c.drift.buildsBehind;
      await emit(tx, {
        type: "deployment.drift",
        title: `${c.service} runs an older ${c.planImage}`,
        text: `The Pi runs build #${c.drift.runningBuild}; build #${c.drift.latestBuild} is the latest push (${behind} push${behind === 1 ? "" : "es"} behind).`,
        path: `/images/${c.planImage}#deployment`,
        image: c.planImage,
        phase: phaseOf.get(c.planImage) ?? null,
        data: { service: c.service, runningBuild: c.drift.runningBuild, latestBuild: c.drift.latestBuild },
      }, env);
      result.drift.push(c.service);
    }
    for (const image of compliance.images) {
      const key = `compliance:${image.name}`;
      const failing = image.findings.filter((f) => f.status === "fail").map((f) => f.rule);
      const raw = await toldState(tx, key);
      const before = raw === null ? null : (JSON.parse(raw) as { pass: string[] });
      // The rules last known to pass: a rule keeps its place through "not checked" (pass → n/a → fail is worse) and
      // loses it only by failing.
      const known = new Set([...(before?.pass ?? []), ...image.findings.filter((f) => f.status === "pass").map((f) => f.rule)]);
      const worse = failing.filter((rule) => before?.pass.includes(rule));
      for (const rule of failing) known.delete(rule);
      const now = JSON.stringify({ pass: [...known].sort() });
      if (raw !== now) await setToldState(tx, key, now);
      if (before === null) continue;
      if (worse.length === 0) continue;
      const messages = image.findings.filter((f) => worse.includes(f.rule)).map((f) => `${f.rule}: ${f.message}`);
      await emit(tx, {
        type: "compliance.worse",
        title: `${image.name}: ${worse.length} compliance rule${worse.length === 1 ? "" : "s"} passed before and fail now`,
        text: messages.join("; ").slice(0, 1500),
        path: `/images/${image.name}#compliance`,
        image: image.name,
        phase: phaseOf.get(image.name) ?? null,
        data: { rules: worse },
      }, env);
      result.worse.push(image.name);
    }
  }, { timeout: 60_000, maxWait: 30_000 });
  return result;
}
