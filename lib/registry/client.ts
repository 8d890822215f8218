/**
 * Reads back what a push left in a registry (the tag's digest, each platform's manifest, compressed
 * size, layers and runtime config), and what a tag points at now. The HTTP, authentication and
 * digest checks are the session's (session.ts).
 */
import { z } from "zod";
import { formatPlatform, formatReference, isValidDigest, samePlatform } from "@/lib/registry/reference";
import {
  badResponse,
  fetchConfigBlob,
  fetchManifest,
  headManifest,
  imageIndex,
  imageManifest,
  isImageManifest,
  isIndex,
  openSession,
  parseJson,
  parseWith,
  type Descriptor,
  type FetchedManifest,
  type ImageIndex,
  type ImageManifest,
  type Session,
  type SessionOptions,
} from "@/lib/registry/session";

export { MEDIA_TYPES, RegistryError, type Credentials, type RegistryErrorCode } from "@/lib/registry/session";

export type PushedPlatform = {
  /** As in the index, e.g. "linux/arm64" or "linux/arm64/v8"; from the config for a single manifest. */
  platform: string;
  digest: string;
  /** The config blob's digest: what a classic Docker image store calls the image ID. */
  configDigest: string;
  /** The sum of the layer sizes in the platform's manifest. */
  compressedBytes: number;
  /**
   * The config's rootfs.diff_ids: the uncompressed layer digests. A base image's are a prefix of an image
   * built FROM it, even when the builder compressed the layers again (the compressed digests then differ).
   */
  diffIds: string[] | null;
  config: { user: string | null; healthcheck: string[] | null; exposedPorts: string[]; labels: Record<string, string> };
};

export type PushedImage = {
  /** The reference read, normalised: docker.io/pickme/x:1. */
  reference: string;
  registry: string;
  repository: string;
  tag: string | null;
  /** The digest of the tag's manifest: the Docker-Content-Digest header, else the sha256 of its bytes. */
  digest: string;
  mediaType: string;
  platforms: PushedPlatform[];
};

export type ReadPushedImageOptions = SessionOptions & {
  /** Read only these platforms of an index (linux/arm64 matching linux/arm64/v8); all when absent. */
  platforms?: readonly string[];
};

const ATTESTATION_ANNOTATION = "vnd.docker.reference.type";

const imageConfig = z.object({
  os: z.string(),
  architecture: z.string(),
  variant: z.string().optional(),
  config: z
    .object({
      User: z.string().nullish(),
      Healthcheck: z.object({ Test: z.array(z.string()).nullish() }).nullish(),
      ExposedPorts: z.record(z.string(), z.unknown()).nullish(),
      Labels: z.record(z.string(), z.string()).nullish(),
    })
    .nullish(),
  rootfs: z.object({ diff_ids: z.array(z.string()).nullish() }).nullish(),
});
type ImageConfig = z.infer<typeof imageConfig>;

/** Reads a pushed image's manifests and configs from its registry. Throws RegistryError. */
export async function readPushedImage(ref: string, options: ReadPushedImageOptions = {}): Promise<PushedImage> {
  const session = openSession(ref, options);
  const { reference } = session;
  const tag = reference.tag ?? (reference.digest === null ? "latest" : null);
  const top = await fetchManifest(session, reference.digest ?? tag ?? "latest", null);
  const platforms = isIndex(top.mediaType)
    ? await readIndexPlatforms(session, parseWith(session, imageIndex, top.json, "its image index"), options.platforms)
    : [await readPlatform(session, top, null)];
  return {
    reference: formatReference({ ...reference, tag }),
    registry: reference.registry,
    repository: reference.repository,
    tag,
    digest: top.digest,
    mediaType: top.mediaType,
    platforms,
  };
}

/** The digest `ref`'s tag points at now (a HEAD request). Throws RegistryError. */
export async function resolveTagDigest(ref: string, options: SessionOptions = {}): Promise<string> {
  const session = openSession(ref, options);
  const { reference } = session;
  if (reference.digest) return reference.digest;
  return (await headManifest(session, reference.tag ?? "latest")).digest;
}

async function readIndexPlatforms(session: Session, index: ImageIndex, only: readonly string[] | undefined): Promise<PushedPlatform[]> {
  const wanted = only ? new Set(only.map(samePlatform)) : null;
  const entries = index.manifests.filter(isImageEntry).filter((e) => !wanted || (e.platform !== undefined && wanted.has(samePlatform(formatPlatform(e.platform)))));
  if (entries.length === 0) throw badResponse(session, "its index lists no image manifests (only attestations or nothing)");
  return Promise.all(
    entries.map(async (entry) => {
      const platform = entry.platform ? formatPlatform(entry.platform) : null;
      return readPlatform(session, await fetchManifest(session, entry.digest, platform ?? entry.digest), platform);
    }),
  );
}

/** Attestations (buildx provenance and SBOMs) sit in the index as unknown/unknown or annotated entries. */
export function isImageEntry(entry: Descriptor): boolean {
  if (entry.annotations?.[ATTESTATION_ANNOTATION] !== undefined) return false;
  return !(entry.platform?.os === "unknown" && entry.platform.architecture === "unknown");
}

async function readPlatform(session: Session, fetched: FetchedManifest, indexPlatform: string | null): Promise<PushedPlatform> {
  const what = indexPlatform === null ? "its manifest" : `the ${indexPlatform} manifest`;
  if (!isImageManifest(fetched.mediaType)) {
    throw badResponse(session, `${what} has the media type ${JSON.stringify(fetched.mediaType)}, not an image manifest`);
  }
  const manifest = parseWith(session, imageManifest, fetched.json, what);
  const config = await fetchConfig(session, manifest, indexPlatform);
  return {
    platform: indexPlatform ?? formatPlatform(config),
    digest: fetched.digest,
    configDigest: manifest.config.digest,
    compressedBytes: manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
    diffIds: config.rootfs?.diff_ids?.every(isValidDigest) ? config.rootfs.diff_ids : null,
    config: runtimeConfig(config),
  };
}

async function fetchConfig(session: Session, manifest: ImageManifest, platform: string | null): Promise<ImageConfig> {
  const { digest } = manifest.config;
  const what = platform === null ? `its config blob ${digest}` : `the config blob ${digest} of ${platform}`;
  const body = await fetchConfigBlob(session, digest, what);
  return parseWith(session, imageConfig, parseJson(session, body, what), what);
}

function runtimeConfig(config: ImageConfig): PushedPlatform["config"] {
  const settings = config.config;
  return {
    user: settings?.User || null,
    healthcheck: settings?.Healthcheck?.Test ?? null,
    exposedPorts: Object.keys(settings?.ExposedPorts ?? {}),
    labels: settings?.Labels ?? {},
  };
}

// ---------------------------------------------------------------------------
// Comparing with the plan

/** The planned platforms that were not pushed, in plan order. */
export function missingPlatforms(planned: string[], pushed: { platform: string }[]): string[] {
  const present = new Set(pushed.map((p) => samePlatform(p.platform)));
  return [...new Set(planned)].filter((platform) => !present.has(samePlatform(platform)));
}
