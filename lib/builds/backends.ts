// Builder command lines as data: each step is an executable and its argv, never a shell string.
import path from "node:path";
import { isValidPlatform } from "@/lib/registry/reference";
import type { Env } from "@/lib/env";

export type BuildSpec = {
  /** Absolute, from resolveInCheckout. */
  dockerfile: string;
  /** Absolute, from resolveInCheckout. */
  context: string;
  platforms: string[];
  /** Full references, already expanded. */
  tags: string[];
  push: boolean;
  /** Absolute path for buildx --metadata-file. */
  metadataFile: string;
  /** A local name for buildah's manifest list, e.g. "lucid-build-42"; unique per build, see buildahSteps. */
  manifestName: string;
};

/** `always` steps run even after an earlier step failed, timed out or was cancelled (cleanup). */
export type Step = { label: string; command: string; args: string[]; always?: true };

const BACKEND_NAMES = ["buildx", "buildah"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** The executable each backend needs on PATH. */
export const BUILDER_EXECUTABLES: Record<BackendName, string> = { buildx: "docker", buildah: "buildah" };

export type BuilderOptions = {
  /** Registries (host or host:port) pushed to without TLS verification; loopback registries always are. */
  insecureRegistries?: string[];
  /** buildah only: its own storage under this folder (`--root X/storage --runroot X/run`), from LUCID_BUILDAH_ROOT. */
  storageRoot?: string;
  /**
   * buildx only: the builder to build with (`--builder NAME`), from LUCID_BUILDX_BUILDER: a remote BuildKit, a
   * kubernetes driver, or a multi-node builder with a native arm64 node such as the Pi itself.
   */
  buildxBuilder?: string;
};

const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export class BuildSpecError extends Error {
  override name = "BuildSpecError";
}

export function builderSteps(backend: BackendName, spec: BuildSpec, options: BuilderOptions = {}): Step[] {
  assertBuildSpec(spec);
  return backend === "buildx" ? buildxSteps(spec, options) : buildahSteps(spec, options);
}

/** LUCID_BUILDER, "buildx" when unset. */
export function backendFromEnv(env: Env = process.env): BackendName {
  const configured = env.LUCID_BUILDER?.trim() || "buildx";
  if (isBackendName(configured)) return configured;
  throw new Error(`LUCID_BUILDER must be one of ${BACKEND_NAMES.map((name) => `"${name}"`).join(", ")}, not ${JSON.stringify(configured)}`);
}

/** The builder options the environment sets: LUCID_BUILDAH_ROOT for buildah's storage, LUCID_BUILDX_BUILDER for buildx. */
export function builderOptionsFromEnv(env: Env = process.env): BuilderOptions {
  const storageRoot = env.LUCID_BUILDAH_ROOT?.trim();
  const builder = env.LUCID_BUILDX_BUILDER?.trim();
  if (builder && !BUILDER_NAME.test(builder)) {
    throw new Error(`LUCID_BUILDX_BUILDER must be a buildx builder name (letters, digits, . _ -), not ${JSON.stringify(builder)}`);
  }
  return { ...(storageRoot ? { storageRoot: path.resolve(storageRoot) } : {}), ...(builder ? { buildxBuilder: builder } : {}) };
}

/** What the build page names as the builder: "docker buildx", "docker buildx (builder pi5-native)", "buildah". */
export function builderLabel(backend: BackendName, options: BuilderOptions): string {
  if (backend === "buildah") return "buildah";
  return options.buildxBuilder ? `docker buildx (builder ${options.buildxBuilder})` : "docker buildx";
}

/** Mirrors the build summary's command, plus plain progress and a metadata file for the digest. */
function buildxSteps(spec: BuildSpec, options: BuilderOptions): Step[] {
  const args = [
    "buildx",
    "build",
    ...(options.buildxBuilder ? ["--builder", options.buildxBuilder] : []),
    "--platform",
    spec.platforms.join(","),
    ...spec.tags.flatMap((tag) => ["-t", tag]),
    "-f",
    spec.dockerfile,
    "--progress=plain",
    // Resolve every FROM in the registry: a rebuild after a base moved must not reuse the old base from a cache.
    "--pull",
    "--metadata-file",
    spec.metadataFile,
    ...(spec.push ? ["--push"] : []),
    spec.context,
  ];
  return [{ label: "build", command: BUILDER_EXECUTABLES.buildx, args }];
}

/**
 * Daemonless: build every platform into a local manifest list, push the list once per tag, then always remove
 * the list. `bud --manifest` adds to an existing list of the same name, so the name must be unique per build.
 * `--format docker` because the OCI format silently drops HEALTHCHECK.
 */
function buildahSteps(spec: BuildSpec, options: BuilderOptions): Step[] {
  const buildah = (...args: string[]): string[] => [...buildahStorageFlags(options), ...args];
  const build: Step = {
    label: "build",
    command: BUILDER_EXECUTABLES.buildah,
    args: buildah(
      ...["bud", "--isolation", "chroot", "--format", "docker"],
      ...["--platform", spec.platforms.join(","), "--manifest", spec.manifestName, "-f", spec.dockerfile, spec.context],
    ),
  };
  const pushes: Step[] = spec.push
    ? spec.tags.map((tag) => ({
        label: `push ${tag}`,
        command: BUILDER_EXECUTABLES.buildah,
        args: buildah("manifest", "push", "--all", "--format", "v2s2", ...tlsFlags(tag, options), spec.manifestName, `docker://${tag}`),
      }))
    : [];
  const cleanup: Step = {
    label: "remove manifest list",
    command: BUILDER_EXECUTABLES.buildah,
    args: buildah("manifest", "rm", spec.manifestName),
    always: true,
  };
  return [build, ...pushes, cleanup];
}

function buildahStorageFlags(options: BuilderOptions): string[] {
  const { storageRoot } = options;
  const root = storageRoot ? ["--root", path.join(storageRoot, "storage"), "--runroot", path.join(storageRoot, "run")] : [];
  return [...root, "--storage-driver", "vfs"];
}

function tlsFlags(tag: string, options: BuilderOptions): string[] {
  const registry = registryOf(tag);
  const host = hostOf(registry);
  const listed = (options.insecureRegistries ?? []).some((entry) => entry === registry || entry === host);
  return isLoopbackHost(host) || listed ? ["--tls-verify=false"] : [];
}

/** The registry part of an image reference, as Docker reads it: "docker.io" unless the first part looks like a host. */
export function registryOf(reference: string): string {
  const slash = reference.indexOf("/");
  if (slash === -1) return "docker.io";
  const first = reference.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? first : "docker.io";
}

function hostOf(registry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(registry);
  if (bracketed?.[1]) return bracketed[1];
  return registry.replace(/:\d+$/, "");
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}

const MANIFEST_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** The spec comes from the database; these checks keep a bad value from being read as an option by the builder. */
function assertBuildSpec(spec: BuildSpec): void {
  for (const [field, value] of [["dockerfile", spec.dockerfile], ["context", spec.context], ["metadataFile", spec.metadataFile]] as const) {
    if (!path.isAbsolute(value)) throw new BuildSpecError(`${field} must be an absolute path, not ${JSON.stringify(value)}`);
  }
  if (spec.platforms.length === 0) throw new BuildSpecError("at least one platform is needed");
  const badPlatform = spec.platforms.find((platform) => !isValidPlatform(platform));
  if (badPlatform !== undefined) throw new BuildSpecError(`${JSON.stringify(badPlatform)} is not a platform such as linux/arm64`);
  const badTag = spec.tags.find((tag) => tag.length === 0 || tag.startsWith("-") || /\s/.test(tag));
  if (badTag !== undefined) throw new BuildSpecError(`${JSON.stringify(badTag)} is not an image reference`);
  if (spec.push && spec.tags.length === 0) throw new BuildSpecError("a pushed build needs at least one tag");
  if (!MANIFEST_NAME_PATTERN.test(spec.manifestName)) {
    throw new BuildSpecError(`${JSON.stringify(spec.manifestName)} is not a manifest list name such as lucid-build-42`);
  }
}

function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
