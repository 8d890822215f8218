// Runs one claimed build: prepare, spawn the builder, verify the push, record the outcome.
import { readFile } from "node:fs/promises";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { BuildLog, logIncompleteText } from "@/lib/builds/log";
import { publishLog, retireLog } from "@/lib/builds/log-hub";
import { LogMirror } from "@/lib/builds/log-mirror";
import { instancesMayShare } from "@/lib/db/lease";
import { prepareBuild, PrepareError, type PreparedBuild } from "@/lib/builds/prepare";
import { runSteps, type LineStream, type RunResult } from "@/lib/builds/process";
import type { Step } from "@/lib/builds/backends";
import type { RunnerSettings } from "@/lib/builds/settings";
import type { BuildStatus } from "@/lib/db/vocabulary";
import { jsonStrings } from "@/lib/db/json";
import { missingPlatforms, readPushedImage, RegistryError, type PushedImage } from "@/lib/registry/client";
import { storedPushedConfig } from "@/lib/registry/config";
import { credentialsFor } from "@/lib/registry/credentials";
import { readPushedBuildSupplyChain } from "@/lib/supply-chain/read";
import { notifyBuildOutcome } from "@/lib/notifications/build-events";

export type ExecuteHooks = { signal: AbortSignal; onSpawn?: (pid: number) => void };

type Outcome = {
  status: Extract<BuildStatus, "succeeded" | "failed" | "cancelled">;
  pushed: boolean;
  exitCode: number | null;
  failureReason: string | null;
  pushedImage: PushedImage | null;
};

const oneLine = (text: string, max = 500) => {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * The last lines each step printed, so a failure reason quotes the step that failed (its own last words),
 * not the cleanup that ran after it. The runner announces every step with a "$ command" system line.
 */
class StepTails {
  private readonly tails: string[][] = [];

  add(line: string, stream: LineStream): void {
    if (stream === "system" && line.startsWith("$ ")) this.tails.push([]);
    else if (stream !== "system" && line.trim() !== "") {
      const tail = this.tails.at(-1);
      if (tail) {
        tail.push(line.trim());
        if (tail.length > 20) tail.shift();
      }
    }
  }

  lastLineOf(stepIndex: number): string | null {
    return this.tails[stepIndex]?.at(-1) ?? null;
  }
}

function failedRun(result: RunResult, steps: Step[], tails: StepTails, timeoutMs: number): Outcome {
  const base = { pushed: false, exitCode: result.exitCode, pushedImage: null };
  if (result.outcome === "cancelled") return { ...base, status: "cancelled", failureReason: "cancelled while running" };
  if (result.outcome === "timed_out") return { ...base, status: "failed", failureReason: `timed out after ${Number((timeoutMs / 1000).toFixed(1))} s` };
  const last = tails.lastLineOf(steps.findIndex((s) => s.label === result.failedStep));
  const reason = result.message ?? `${result.failedStep ?? "the builder"} exited with code ${result.exitCode}`;
  return { ...base, status: "failed", failureReason: oneLine(last && result.outcome === "failed" ? `${reason}: ${last}` : reason) };
}

async function buildxDigest(metadataFile: string): Promise<string | null> {
  try {
    const metadata = JSON.parse(await readFile(metadataFile, "utf8")) as Record<string, unknown>;
    return typeof metadata["containerimage.digest"] === "string" ? metadata["containerimage.digest"] : null;
  } catch {
    return null;
  }
}

/** Reads the pushed tag back from the registry; the build only succeeds if every planned platform is there. */
async function verifyPush(prisma: PrismaClient, buildId: number, prepared: PreparedBuild, log: BuildLog, settings: RunnerSettings): Promise<Outcome> {
  const reference = prepared.tags[0]!;
  log.write(`Verifying ${reference} in the registry…`);
  try {
    const pushedImage = await readPushedImage(reference, credentialsFor(reference, { registry: settings.registry, credentials: settings.registryCredentials }));
    for (const p of pushedImage.platforms) log.write(`  ${p.platform}: ${p.compressedBytes} bytes compressed, ${p.digest}`);
    const missing = missingPlatforms(prepared.spec.platforms, pushedImage.platforms);
    if (missing.length > 0) {
      return { status: "failed", pushed: true, exitCode: 0, pushedImage, failureReason: `the pushed image is missing ${missing.join(" and ")} (found ${pushedImage.platforms.map((p) => p.platform).join(", ") || "no platforms"})` };
    }
    const reported = prepared.backend === "buildx" ? await buildxDigest(prepared.spec.metadataFile) : null;
    if (reported && reported !== pushedImage.digest) log.write(`note: buildx reported ${reported}, the registry serves ${pushedImage.digest}`);
    log.write(`Supply chain: ${await supplyChainLine(prisma, buildId, reference, pushedImage.digest, settings)}`);
    return { status: "succeeded", pushed: true, exitCode: 0, pushedImage, failureReason: null };
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return { status: "failed", pushed: false, exitCode: 0, pushedImage: null, failureReason: oneLine(`the push could not be verified: ${error.message}`) };
  }
}

/** Best effort: the push is verified already, and nothing about its attestations can fail it. */
async function supplyChainLine(prisma: PrismaClient, buildId: number, reference: string, digest: string, settings: RunnerSettings): Promise<string> {
  try {
    return await readPushedBuildSupplyChain(prisma, buildId, reference, digest, { registry: settings.registry, credentials: settings.registryCredentials });
  } catch (error) {
    return `not recorded: ${(error as Error).message}`;
  }
}

async function recordOutcome(prisma: PrismaClient, buildId: number, startedAt: Date | null, outcome: Outcome, logIncomplete: string | null = null): Promise<void> {
  const finishedAt = new Date();
  const image = outcome.pushedImage;
  await prisma.$transaction(async (tx) => {
    // Ended already: another process took this instance's id while this one stood still and marked it interrupted.
    if ((await tx.build.findUnique({ where: { id: buildId }, select: { status: true } }))?.status !== "running") return;
    const recorded = await tx.build.update({
      where: { id: buildId },
      data: {
        status: outcome.status,
        pushed: outcome.pushed,
        exitCode: outcome.exitCode,
        failureReason: outcome.failureReason,
        finishedAt,
        durationMs: startedAt ? finishedAt.getTime() - startedAt.getTime() : null,
        digest: image?.digest ?? null,
        pid: null,
        pidIdentity: null,
        logIncomplete,
      },
      select: { imageId: true },
    });
    await notifyBuildOutcome(tx, { imageId: recorded.imageId, buildId, status: outcome.status, reason: outcome.failureReason });
    if (image) {
      await tx.buildPlatform.deleteMany({ where: { buildId } });
      await tx.buildPlatform.createMany({
        data: image.platforms.map((p) => ({
          buildId,
          platform: p.platform,
          compressedBytes: p.compressedBytes,
          digest: p.digest,
          configDigest: p.configDigest,
          config: storedPushedConfig(p.config),
          diffIds: p.diffIds ?? undefined,
        })),
      });
    }
  });
}

/** Runs a build that claimBuilds moved to "running". Whatever happens, it ends in a finished status. */
export async function executeBuild(prisma: PrismaClient, buildId: number, settings: RunnerSettings, hooks: ExecuteHooks): Promise<void> {
  const build = await prisma.build.findUnique({ where: { id: buildId }, include: { image: true } });
  if (!build || build.status !== "running") return;
  const image = { ...build.image, tags: jsonStrings(build.image.tags), platforms: jsonStrings(build.image.platforms) };

  let prepared: PreparedBuild;
  let log: BuildLog;
  try {
    prepared = await prepareBuild(image, buildId, build.startedAt ?? new Date(), settings);
    log = new BuildLog(prepared.logFile);
  } catch (error) {
    const reason = error instanceof PrepareError ? error.message : `internal error: ${(error as Error).message}`;
    await recordOutcome(prisma, buildId, build.startedAt, { status: "failed", pushed: false, exitCode: null, failureReason: oneLine(reason), pushedImage: null });
    return;
  }
  publishLog(buildId, log);
  // Other instances on the database cannot read this disk: they follow the log through its copy there.
  const mirror = instancesMayShare(prisma) ? new LogMirror(prisma, buildId, log) : null;
  let outcome: Outcome = { status: "failed", pushed: false, exitCode: null, failureReason: "internal error: the runner stopped unexpectedly", pushedImage: null };
  try {
    const main = prepared.steps[0]!;
    await prisma.build.update({
      where: { id: buildId },
      data: {
        builder: prepared.builder,
        argv: [main.command, ...main.args],
        tags: prepared.tags,
        platforms: prepared.spec.platforms,
        logPath: prepared.logFile,
      },
    });
    const tails = new StepTails();
    const result = await runSteps(prepared.steps, {
      cwd: prepared.repoRoot,
      timeoutMs: settings.timeoutMs,
      killGraceMs: settings.killGraceMs,
      signal: hooks.signal,
      onLine: (line, stream) => {
        log.write(line);
        tails.add(line, stream);
      },
      onSpawn: (pid) => hooks.onSpawn?.(pid),
    });
    if (result.outcome !== "succeeded") outcome = failedRun(result, prepared.steps, tails, settings.timeoutMs);
    else if (prepared.spec.push) outcome = await verifyPush(prisma, buildId, prepared, log, settings);
    else outcome = { status: "succeeded", pushed: false, exitCode: 0, failureReason: null, pushedImage: null };
  } catch (error) {
    outcome = { ...outcome, failureReason: oneLine(`internal error: ${(error as Error).message}`) };
    throw error;
  } finally {
    log.write(`Build ${outcome.status}${outcome.failureReason ? `: ${outcome.failureReason}` : ""}`);
    const summary = log.close();
    retireLog(buildId);
    // Written before the outcome, so a reader elsewhere that sees the build finished finds every copied line.
    const copyProblem = (await mirror?.close()) ?? null;
    const incomplete = [summary.writeError === null ? null : logIncompleteText(summary.writeError, summary.keptLines), copyProblem].filter(Boolean).join("; ") || null;
    await recordOutcome(prisma, buildId, build.startedAt, outcome, incomplete);
  }
}

/** The last resort when recording an outcome itself failed: a build must never stay "running". */
export async function failIfStillRunning(prisma: PrismaClient, buildId: number, error: unknown): Promise<void> {
  await prisma.build.updateMany({
    where: { id: buildId, status: "running" },
    data: { status: "failed", finishedAt: new Date(), pid: null, pidIdentity: null, failureReason: oneLine(`internal error: ${(error as Error).message}`) },
  });
}
