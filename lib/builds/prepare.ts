// Turns a planned image into the exact steps one build runs, refusing anything unsafe before a process starts.
import { randomBytes } from "node:crypto";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { backendFromEnv, builderLabel, builderOptionsFromEnv, builderSteps, BuildSpecError, BUILDER_EXECUTABLES, type BackendName, type BuildSpec, type Step } from "@/lib/builds/backends";
import { checkoutRoot, CheckoutPathError, resolveInCheckout } from "@/lib/checkout/checkout";
import { BuildRequestError, type BuildPrecheck } from "@/lib/builds/queue";
import { runnerSettings, type RunnerSettings } from "@/lib/builds/settings";
import { buildTags } from "@/lib/builds/tags";
import { InvalidReferenceError } from "@/lib/registry/reference";

export type PlannedImage = { name: string; repository: string; tags: string[]; dockerfile: string; context: string; platforms: string[]; push: boolean };

export type PreparedBuild = {
  backend: BackendName;
  /** As the build page names it (lib/builds/backends.ts builderLabel). */
  builder: string;
  repoRoot: string;
  tags: string[];
  spec: BuildSpec;
  steps: Step[];
  logFile: string;
};

export class PrepareError extends Error {
  override name = "PrepareError";
}

function onPath(executable: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, executable), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The log and metadata files' name, unique to this attempt: build ids start again after a database reset or
 * restore, and a new build must never continue (or read the digest from) an old build's files.
 */
function uniqueStem(buildId: number, now: Date): string {
  return `build-${buildId}-${now.getTime()}-${randomBytes(4).toString("hex")}`;
}

/** Validates everything a build of `image` needs and returns its steps; throws PrepareError with the reason. */
export async function prepareBuild(image: PlannedImage, buildId: number, now: Date, settings: RunnerSettings, env: NodeJS.ProcessEnv = process.env): Promise<PreparedBuild> {
  try {
    const backend = backendFromEnv(env);
    const executable = BUILDER_EXECUTABLES[backend];
    if (!onPath(executable, env)) {
      throw new PrepareError(`the ${backend} builder needs "${executable}", which is not on PATH here (LUCID_BUILDER chooses buildx or buildah)`);
    }
    const repoRoot = checkoutRoot(env);
    const dockerfile = await resolveInCheckout(repoRoot, image.dockerfile, "file");
    const context = await resolveInCheckout(repoRoot, image.context, "directory");
    const tags = buildTags(image.tags, image.repository, now, settings.registry);
    const files = path.join(settings.logDir, uniqueStem(buildId, now));
    const spec: BuildSpec = {
      dockerfile,
      context,
      platforms: image.platforms,
      tags,
      push: image.push,
      metadataFile: `${files}.metadata.json`,
      manifestName: `lucid-build-${buildId}-${now.getTime()}`,
    };
    const options = builderOptionsFromEnv(env);
    const steps = builderSteps(backend, spec, options);
    return { backend, builder: builderLabel(backend, options), repoRoot, tags, spec, steps, logFile: `${files}.log` };
  } catch (error) {
    if (error instanceof PrepareError) throw error;
    if (error instanceof CheckoutPathError || error instanceof InvalidReferenceError || error instanceof BuildSpecError) {
      throw new PrepareError(`${image.name}: ${error.message}`);
    }
    if (error instanceof Error && /LUCID_|tag template/.test(error.message)) throw new PrepareError(error.message);
    throw error;
  }
}

/** The check behind every build request: a build that could not start is refused, not queued. */
export const precheckBuild: BuildPrecheck = async (image) => {
  try {
    await prepareBuild(image, 0, new Date(), runnerSettings());
  } catch (error) {
    if (error instanceof PrepareError) throw new BuildRequestError(422, error.message);
    throw error;
  }
};
