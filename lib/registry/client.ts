/**
 * A small client for the OCI distribution API: reads back what a push left in a registry
 * (the tag's digest, each platform's manifest, compressed size and runtime config).
 *
 * HTTPS always, except for loopback registries. Docker Hub's bearer-token flow is followed;
 * plain Basic challenges are answered when credentials are given. Messages never carry
 * credentials or tokens.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  formatPlatform,
  formatReference,
  InvalidReferenceError,
  isLoopbackRegistry,
  isValidDigest,
  parseReference,
  registryHostFor,
  type ImageReference,
} from "@/lib/registry/reference";

export type PushedPlatform = {
  /** As in the index, e.g. "linux/arm64" or "linux/arm64/v8"; from the config for a single manifest. */
  platform: string;
  digest: string;
  /** The config blob's digest: what a classic Docker image store calls the image ID. */
  configDigest: string;
  /** The sum of the layer sizes in the platform's manifest. */
  compressedBytes: number;
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

export type Credentials = { username: string; password: string };

export type ReadPushedImageOptions = {
  fetch?: typeof fetch;
  /** Per request, including reading its body. */
  timeoutMs?: number;
  credentials?: Credentials;
};

export type RegistryErrorCode = "invalid-reference" | "not-found" | "unauthorized" | "timeout" | "unreachable" | "bad-response";

export class RegistryError extends Error {
  override name = "RegistryError";
  constructor(
    message: string,
    readonly code: RegistryErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export const MEDIA_TYPES = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
} as const;
const INDEX_TYPES: readonly string[] = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList];
const MANIFEST_TYPES: readonly string[] = [MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest];
/** All four: a registry answers 404 for an index when the Accept header does not name index types. */
const MANIFEST_ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(", ");
const CONFIG_ACCEPT = "application/vnd.oci.image.config.v1+json, application/vnd.docker.container.image.v1+json, */*";

const DEFAULT_TIMEOUT_MS = 15_000;
const MiB = 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * MiB;
const MAX_CONFIG_BYTES = 8 * MiB;
const MAX_TOKEN_BYTES = 1 * MiB;
const ATTESTATION_ANNOTATION = "vnd.docker.reference.type";

// ---------------------------------------------------------------------------
// Wire formats (only the fields read here)

const digestField = z.string().refine(isValidDigest, { error: "must be a sha256, sha384 or sha512 digest" });
const descriptor = z.object({
  mediaType: z.string().optional(),
  digest: digestField,
  size: z.number().int().min(0),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
});
type Descriptor = z.infer<typeof descriptor>;
const imageIndex = z.object({ schemaVersion: z.literal(2), manifests: z.array(descriptor) });
const imageManifest = z.object({ schemaVersion: z.literal(2), config: descriptor, layers: z.array(descriptor) });
type ImageManifest = z.infer<typeof imageManifest>;
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
});
type ImageConfig = z.infer<typeof imageConfig>;
const tokenResponse = z.object({ token: z.string().min(1).optional(), access_token: z.string().min(1).optional() });

// ---------------------------------------------------------------------------
// Reading an image

type Session = {
  /** The reference as the caller wrote it: every message starts with it. */
  label: string;
  host: string;
  baseUrl: string;
  repository: string;
  fetch: typeof fetch;
  timeoutMs: number;
  credentials: Credentials | null;
  /** Bearer tokens by realm, service and scope, for this call only. */
  tokens: Map<string, Promise<string>>;
  authorization: string | null;
};

type FetchedManifest = { digest: string; mediaType: string; json: unknown };

/** Reads a pushed image's manifests and configs from its registry. Throws RegistryError. */
export async function readPushedImage(ref: string, options: ReadPushedImageOptions = {}): Promise<PushedImage> {
  const reference = parseForRegistry(ref);
  const session = openSession(ref, reference, options);
  const tag = reference.tag ?? (reference.digest === null ? "latest" : null);
  const top = await fetchManifest(session, reference.digest ?? tag ?? "latest", null);
  const platforms = INDEX_TYPES.includes(top.mediaType)
    ? await readIndexPlatforms(session, parseWith(session, imageIndex, top.json, "its image index"))
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

function parseForRegistry(ref: string): ImageReference {
  try {
    return parseReference(ref.trim());
  } catch (error) {
    if (error instanceof InvalidReferenceError) throw new RegistryError(error.message, "invalid-reference", { cause: error });
    throw error;
  }
}

function openSession(ref: string, reference: ImageReference, options: ReadPushedImageOptions): Session {
  const host = registryHostFor(reference.registry);
  const scheme = isLoopbackRegistry(reference.registry) ? "http" : "https";
  return {
    label: ref.trim(),
    host,
    baseUrl: `${scheme}://${host}`,
    repository: reference.repository,
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    credentials: options.credentials ?? null,
    tokens: new Map(),
    authorization: null,
  };
}

async function readIndexPlatforms(session: Session, index: z.infer<typeof imageIndex>): Promise<PushedPlatform[]> {
  const entries = index.manifests.filter(isImageEntry);
  if (entries.length === 0) throw badResponse(session, "its index lists no image manifests (only attestations or nothing)");
  return Promise.all(
    entries.map(async (entry) => {
      const platform = entry.platform ? formatPlatform(entry.platform) : null;
      return readPlatform(session, await fetchManifest(session, entry.digest, platform ?? entry.digest), platform);
    }),
  );
}

/** Attestations (buildx provenance and SBOMs) sit in the index as unknown/unknown or annotated entries. */
function isImageEntry(entry: Descriptor): boolean {
  if (entry.annotations?.[ATTESTATION_ANNOTATION] !== undefined) return false;
  return !(entry.platform?.os === "unknown" && entry.platform.architecture === "unknown");
}

async function readPlatform(session: Session, fetched: FetchedManifest, indexPlatform: string | null): Promise<PushedPlatform> {
  const what = indexPlatform === null ? "its manifest" : `the ${indexPlatform} manifest`;
  if (!MANIFEST_TYPES.includes(fetched.mediaType)) {
    throw badResponse(session, `${what} has the media type ${JSON.stringify(fetched.mediaType)}, not an image manifest`);
  }
  const manifest = parseWith(session, imageManifest, fetched.json, what);
  const config = await fetchConfig(session, manifest, indexPlatform);
  return {
    platform: indexPlatform ?? formatPlatform(config),
    digest: fetched.digest,
    configDigest: manifest.config.digest,
    compressedBytes: manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
    config: runtimeConfig(config),
  };
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
// Manifests and blobs

/** `platform` names the index entry being followed; null for the reference itself. */
async function fetchManifest(session: Session, ref: string, platform: string | null): Promise<FetchedManifest> {
  const what = platform === null ? "its manifest" : `the ${platform} manifest`;
  const response = await get(session, `/v2/${session.repository}/manifests/${ref}`, MANIFEST_ACCEPT);
  if (response.status === 404) {
    await discard(response);
    if (platform === null) throw new RegistryError(`${session.label} was not found in the registry`, "not-found");
    throw new RegistryError(`${session.label}: ${what} (${ref}) listed in its index is missing from the registry`, "not-found");
  }
  await expectOk(session, response, what);
  const body = await readBody(session, response, MAX_MANIFEST_BYTES, what);
  const digest = verifiedDigest(session, body, ref.includes(":") ? ref : response.headers.get("docker-content-digest"), what);
  const json = parseJson(session, body, what);
  return { digest, mediaType: manifestMediaType(session, json, response.headers.get("content-type"), what), json };
}

async function fetchConfig(session: Session, manifest: ImageManifest, platform: string | null): Promise<ImageConfig> {
  const { digest } = manifest.config;
  const what = platform === null ? `its config blob ${digest}` : `the config blob ${digest} of ${platform}`;
  const response = await get(session, `/v2/${session.repository}/blobs/${digest}`, CONFIG_ACCEPT);
  if (response.status === 404) {
    await discard(response);
    throw new RegistryError(`${session.label}: ${what} is missing from the registry`, "not-found");
  }
  await expectOk(session, response, what);
  const body = await readBody(session, response, MAX_CONFIG_BYTES, what);
  verifiedDigest(session, body, digest, what);
  return parseWith(session, imageConfig, parseJson(session, body, what), what);
}

/**
 * The manifest's digest. A digest we asked for, or one the registry states, must match the
 * bytes: that is what makes a digest mean something.
 */
function verifiedDigest(session: Session, body: Buffer, expected: string | null, what: string): string {
  if (expected === null || !isValidDigest(expected)) return hashOf(body, "sha256");
  const [algorithm = "sha256"] = expected.split(":");
  if (hashOf(body, algorithm) !== expected) throw badResponse(session, `${what} does not match its digest ${expected}`);
  return expected;
}

function hashOf(body: Buffer, algorithm: string): string {
  return `${algorithm}:${createHash(algorithm).update(body).digest("hex")}`;
}

function manifestMediaType(session: Session, json: unknown, contentType: string | null, what: string): string {
  const declared = isRecord(json) && typeof json.mediaType === "string" ? json.mediaType : null;
  if (isRecord(json) && json.schemaVersion === 1) {
    throw badResponse(session, `${what} uses the deprecated Docker schema 1 format; push it again with a current docker or buildah`);
  }
  const mediaType = declared ?? contentType?.split(";")[0]?.trim() ?? "";
  if (INDEX_TYPES.includes(mediaType) || MANIFEST_TYPES.includes(mediaType)) return mediaType;
  throw badResponse(session, `${what} has the unexpected media type ${JSON.stringify(mediaType)} (expected an image index or manifest)`);
}

function parseJson(session: Session, body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw badResponse(session, `${what} is not JSON`);
  }
}

function parseWith<T>(session: Session, schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw badResponse(session, `${what} is not in the expected format${where}: ${issue?.message ?? "invalid"}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// HTTP and authentication

/** GET with the session's authorization; a 401 is answered once, by a token or Basic credentials. */
async function get(session: Session, path: string, accept: string): Promise<Response> {
  const url = `${session.baseUrl}${path}`;
  const sent = session.authorization;
  const response = await send(session, url, { accept, ...(sent ? { authorization: sent } : {}) });
  if (response.status !== 401) return response;
  const challenge = response.headers.get("www-authenticate");
  await discard(response);
  const authorization = await answerChallenge(session, challenge);
  if (authorization === sent) throw unauthorized(session);
  session.authorization = authorization;
  const retried = await send(session, url, { accept, authorization });
  if (retried.status === 401) {
    await discard(retried);
    throw unauthorized(session);
  }
  return retried;
}

async function answerChallenge(session: Session, header: string | null): Promise<string> {
  const challenge = parseChallenge(header);
  if (challenge?.scheme === "bearer") return `Bearer ${await tokenFor(session, challenge.params)}`;
  if (challenge?.scheme === "basic" && session.credentials) return basicAuthorization(session.credentials);
  throw unauthorized(session);
}

type Challenge = { scheme: string; params: Record<string, string> };

/** `Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"`. */
function parseChallenge(header: string | null): Challenge | null {
  const match = header ? /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header) : null;
  if (!match?.[1]) return null;
  const params: Record<string, string> = {};
  for (const param of (match[2] ?? "").matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    const [, name = "", quoted, bare] = param;
    params[name.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : (bare ?? "");
  }
  return { scheme: match[1].toLowerCase(), params };
}

function tokenFor(session: Session, params: Record<string, string>): Promise<string> {
  const key = JSON.stringify([params.realm, params.service, params.scope]);
  let token = session.tokens.get(key);
  if (!token) {
    token = requestToken(session, params);
    session.tokens.set(key, token);
  }
  return token;
}

async function requestToken(session: Session, params: Record<string, string>): Promise<string> {
  const realm = tokenRealm(session, params.realm);
  if (params.service) realm.searchParams.set("service", params.service);
  for (const scope of (params.scope ?? "").split(" ").filter(Boolean)) realm.searchParams.append("scope", scope);
  const headers: Record<string, string> = { accept: "application/json" };
  if (session.credentials && credentialsMayGoTo(session, realm.host)) headers.authorization = basicAuthorization(session.credentials);
  const response = await send(session, realm.href, headers, realm.host);
  const what = `the token service at ${realm.host}`;
  if (response.status === 401 || response.status === 403) {
    await discard(response);
    throw unauthorized(session, session.credentials ? `${what} refused the credentials` : `${what} requires credentials`);
  }
  await expectOk(session, response, what);
  const body = await readBody(session, response, MAX_TOKEN_BYTES, what);
  const answer = parseWith(session, tokenResponse, parseJson(session, body, what), `the answer of ${what}`);
  const token = answer.token ?? answer.access_token;
  if (!token) throw badResponse(session, `${what} answered without a token`);
  return token;
}

/**
 * The realm is named by the registry's answer, so credentials go only to the registry's own host or, for
 * Docker Hub, to its token service; any other realm is asked anonymously.
 */
function credentialsMayGoTo(session: Session, realmHost: string): boolean {
  return realmHost === session.host || (session.host === "registry-1.docker.io" && realmHost === "auth.docker.io");
}

/** The realm comes from the registry's answer: credentials go to it only over HTTPS, or to loopback. */
function tokenRealm(session: Session, realm: string | undefined): URL {
  let url: URL | null = null;
  try {
    url = realm ? new URL(realm) : null;
  } catch {
    url = null;
  }
  if (url?.protocol === "https:" || (url?.protocol === "http:" && isLoopbackRegistry(url.host))) return url;
  throw badResponse(session, `the registry asked for a token from ${JSON.stringify(realm ?? "")}, which is not an HTTPS URL`);
}

function basicAuthorization({ username, password }: Credentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** One request; redirects (blob downloads from a CDN) are followed, and fetch drops Authorization across origins. */
async function send(session: Session, url: string, headers: Record<string, string>, host = session.host): Promise<Response> {
  try {
    return await session.fetch(url, { headers, redirect: "follow", signal: AbortSignal.timeout(session.timeoutMs) });
  } catch (error) {
    throw transportError(session, error, host);
  }
}

/** Reads at most `limit` bytes; the request's timeout still applies while reading. */
async function readBody(session: Session, response: Response, limit: number, what: string): Promise<Buffer> {
  const tooLarge = () => badResponse(session, `${what} is larger than ${limit / MiB} MiB; refusing to read it`);
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) {
    await discard(response);
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      total += chunk.value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(chunk.value);
    }
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    throw transportError(session, error, session.host);
  }
  return Buffer.concat(chunks);
}

async function expectOk(session: Session, response: Response, what: string): Promise<void> {
  if (response.ok) return;
  await discard(response);
  throw badResponse(session, `the registry answered HTTP ${response.status} for ${what}`);
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function transportError(session: Session, error: unknown, host: string): RegistryError {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new RegistryError(`${session.label}: ${host} did not answer within ${formatSeconds(session.timeoutMs)}`, "timeout", { cause: error });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = isRecord(cause) && typeof cause.code === "string" ? ` (${cause.code})` : "";
  return new RegistryError(`${session.label}: could not reach ${host}${code}`, "unreachable", { cause: error });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function unauthorized(session: Session, detail?: string): RegistryError {
  const why = detail ?? (session.credentials ? "the credentials were refused" : "the repository is private or does not exist; give credentials");
  return new RegistryError(`${session.label}: unauthorized: ${why}`, "unauthorized");
}

function badResponse(session: Session, detail: string): RegistryError {
  return new RegistryError(`${session.label}: ${detail}`, "bad-response");
}

// ---------------------------------------------------------------------------
// Comparing with the plan

/** buildah writes linux/arm64 as linux/arm64/v8; the two name the same platform. Nothing else is loosened. */
function samePlatform(platform: string): string {
  return platform === "linux/arm64/v8" ? "linux/arm64" : platform;
}

/** The planned platforms that were not pushed, in plan order. */
export function missingPlatforms(planned: string[], pushed: PushedPlatform[]): string[] {
  const present = new Set(pushed.map((p) => samePlatform(p.platform)));
  return [...new Set(planned)].filter((platform) => !present.has(samePlatform(platform)));
}
