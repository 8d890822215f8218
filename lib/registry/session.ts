/**
 * A registry session over the OCI distribution API: HTTP with capped reads, Docker Hub's bearer-token
 * flow and Basic credentials, manifests and blobs checked against their digests. What is read is
 * in client.ts (pushed images, tag digests) and artifacts.ts (attestations, signatures, referrers).
 *
 * HTTPS always, except for loopback registries. Messages never carry credentials or tokens.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { InvalidReferenceError, isLoopbackRegistry, isValidDigest, parseReference, registryHostFor, type ImageReference } from "@/lib/registry/reference";

export type Credentials = { username: string; password: string };

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
export const MiB = 1024 * 1024;
const MAX_MANIFEST_BYTES = 4 * MiB;
const MAX_CONFIG_BYTES = 8 * MiB;
const MAX_TOKEN_BYTES = 1 * MiB;

// ---------------------------------------------------------------------------
// Wire formats (only the fields read here)

const digestField = z.string().refine(isValidDigest, { error: "must be a sha256, sha384 or sha512 digest" });
export const descriptor = z.object({
  mediaType: z.string().optional(),
  digest: digestField,
  size: z.number().int().min(0),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z.object({ os: z.string(), architecture: z.string(), variant: z.string().optional() }).optional(),
  artifactType: z.string().optional(),
});
export type Descriptor = z.infer<typeof descriptor>;
export const imageIndex = z.object({ schemaVersion: z.literal(2), manifests: z.array(descriptor) });
export type ImageIndex = z.infer<typeof imageIndex>;
export const imageManifest = z.object({
  schemaVersion: z.literal(2),
  artifactType: z.string().optional(),
  config: descriptor,
  layers: z.array(descriptor),
  subject: descriptor.optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type ImageManifest = z.infer<typeof imageManifest>;

const tokenResponse = z.object({ token: z.string().min(1).optional(), access_token: z.string().min(1).optional() });

// ---------------------------------------------------------------------------
// Sessions

export type SessionOptions = {
  fetch?: typeof fetch;
  /** Per request, including reading its body. */
  timeoutMs?: number;
  credentials?: Credentials;
};

export type Session = {
  /** The reference as the caller wrote it: every message starts with it. */
  label: string;
  reference: ImageReference;
  host: string;
  baseUrl: string;
  repository: string;
  fetch: typeof fetch;
  timeoutMs: number;
  credentials: Credentials | null;
  /** Bearer tokens by realm, service and scope, for this session only. */
  tokens: Map<string, Promise<string>>;
  authorization: string | null;
};

export type FetchedManifest = { digest: string; mediaType: string; json: unknown };

/** A session for one repository, named by a reference such as docker.io/pickme/x:1. Throws RegistryError. */
export function openSession(ref: string, options: SessionOptions = {}): Session {
  const reference = parseForRegistry(ref);
  const host = registryHostFor(reference.registry);
  const scheme = isLoopbackRegistry(reference.registry) ? "http" : "https";
  return {
    label: ref.trim(),
    reference,
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

function parseForRegistry(ref: string): ImageReference {
  try {
    return parseReference(ref.trim());
  } catch (error) {
    if (error instanceof InvalidReferenceError) throw new RegistryError(error.message, "invalid-reference", { cause: error });
    throw error;
  }
}

export function isIndex(mediaType: string): boolean {
  return INDEX_TYPES.includes(mediaType);
}

export function isImageManifest(mediaType: string): boolean {
  return MANIFEST_TYPES.includes(mediaType);
}

// ---------------------------------------------------------------------------
// Manifests and blobs

/** `platform` names the index entry being followed; null for the reference itself. */
export async function fetchManifest(session: Session, ref: string, platform: string | null): Promise<FetchedManifest> {
  const what = platform === null ? "its manifest" : `the ${platform} manifest`;
  const response = await request(session, `/v2/${session.repository}/manifests/${ref}`, MANIFEST_ACCEPT);
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

/**
 * The digest a tag points at now, by HEAD (Docker Hub counts a GET of a manifest as a pull, not a HEAD).
 * Registries that do not state Docker-Content-Digest on HEAD are asked with a GET, whose bytes are hashed.
 */
export async function headManifest(session: Session, tag: string): Promise<{ digest: string; mediaType: string | null }> {
  const response = await request(session, `/v2/${session.repository}/manifests/${tag}`, MANIFEST_ACCEPT, "HEAD");
  await discard(response);
  if (response.status === 404) throw new RegistryError(`${session.label} was not found in the registry`, "not-found");
  if (!response.ok) throw badResponse(session, `the registry answered HTTP ${response.status} for its manifest`);
  const stated = response.headers.get("docker-content-digest");
  if (stated && isValidDigest(stated)) return { digest: stated, mediaType: response.headers.get("content-type")?.split(";")[0]?.trim() ?? null };
  const fetched = await fetchManifest(session, tag, null);
  return { digest: fetched.digest, mediaType: fetched.mediaType };
}

/** A blob read whole (capped) and checked against its digest. */
export async function fetchBlob(session: Session, digest: string, limit: number, what: string, accept = "*/*"): Promise<Buffer> {
  const response = await request(session, `/v2/${session.repository}/blobs/${digest}`, accept);
  if (response.status === 404) {
    await discard(response);
    throw new RegistryError(`${session.label}: ${what} is missing from the registry`, "not-found");
  }
  await expectOk(session, response, what);
  const body = await readBody(session, response, limit, what);
  verifiedDigest(session, body, digest, what);
  return body;
}

/** The image config blob of a manifest. */
export function fetchConfigBlob(session: Session, digest: string, what: string): Promise<Buffer> {
  return fetchBlob(session, digest, MAX_CONFIG_BYTES, what, CONFIG_ACCEPT);
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

export function hashOf(body: Buffer, algorithm: string): string {
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

export function parseJson(session: Session, body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw badResponse(session, `${what} is not JSON`);
  }
}

export function parseWith<T>(session: Session, schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw badResponse(session, `${what} is not in the expected format${where}: ${issue?.message ?? "invalid"}`);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// HTTP and authentication

/** A GET (or HEAD) with the session's authorization; a 401 is answered once, by a token or Basic credentials. */
export async function request(session: Session, path: string, accept: string, method: "GET" | "HEAD" = "GET"): Promise<Response> {
  const url = `${session.baseUrl}${path}`;
  const sent = session.authorization;
  const response = await send(session, url, { accept, ...(sent ? { authorization: sent } : {}) }, session.host, method);
  if (response.status !== 401) return response;
  const challenge = response.headers.get("www-authenticate");
  await discard(response);
  const authorization = await answerChallenge(session, challenge);
  if (authorization === sent) throw unauthorized(session);
  session.authorization = authorization;
  const retried = await send(session, url, { accept, authorization }, session.host, method);
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
async function send(session: Session, url: string, headers: Record<string, string>, host = session.host, method = "GET"): Promise<Response> {
  try {
    return await session.fetch(url, { method, headers, redirect: "follow", signal: AbortSignal.timeout(session.timeoutMs) });
  } catch (error) {
    throw transportError(session, error, host);
  }
}

/** Reads at most `limit` bytes; the request's timeout still applies while reading. */
export async function readBody(session: Session, response: Response, limit: number, what: string): Promise<Buffer> {
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

export async function expectOk(session: Session, response: Response, what: string): Promise<void> {
  if (response.ok) return;
  await discard(response);
  throw badResponse(session, `the registry answered HTTP ${response.status} for ${what}`);
}

export async function discard(response: Response): Promise<void> {
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

export function badResponse(session: Session, detail: string): RegistryError {
  return new RegistryError(`${session.label}: ${detail}`, "bad-response");
}
