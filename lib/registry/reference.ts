/**
 * Image references and platforms, in one place.
 *
 * The grammar follows distribution/reference (what `docker` and `buildx` accept):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] path-component ( "/" path-component )*
 *
 * A first component is a domain when it contains "." or ":" or is "localhost". Unlike Docker,
 * a first component with uppercase letters is not taken for a domain: "Pickme/lucid" is a
 * mistyped Docker Hub name far more often than a registry host, so it is refused as uppercase.
 *
 * Nothing here depends on Node: the module is also bundled for the browser.
 */

export type ImageReference = { registry: string; repository: string; tag: string | null; digest: string | null };

/** A reference as written, checked but not normalised: `name` is `[domain/]path`. */
export type ReferenceParts = { name: string; domain: string | null; path: string; tag: string | null; digest: string | null };

export type Platform = { os: string; architecture: string; variant: string | null };

const DEFAULT_REGISTRY = "docker.io";
const LEGACY_DEFAULT_REGISTRY = "index.docker.io";
const DOCKER_HUB_API_HOST = "registry-1.docker.io";
const OFFICIAL_IMAGES_NAMESPACE = "library";

const MAX_NAME_LENGTH = 255;
const MAX_TAG_LENGTH = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const DIGEST = /^([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([0-9a-fA-F]{32,})$/;
/** The algorithms go-digest registers, with their hex lengths; any other algorithm is refused, as Docker does. */
const DIGEST_HEX_LENGTHS: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const IMAGE_ID = /^[a-f0-9]{64}$/;
const WHITESPACE = /\s/;
const SHELL_EXPANSION = /[$`]/;
const REFERENCE_CHARACTER = /[A-Za-z0-9._:/@\-[\]+]/;

/** os/arch or os/arch/variant, e.g. linux/arm64 or linux/arm64/v8. */
export const PLATFORM_PATTERN = /^[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_.]+)?$/;

export class InvalidReferenceError extends Error {
  override name = "InvalidReferenceError";
  constructor(
    readonly reference: string,
    /** What is wrong, without the reference: "repository names must be lowercase". */
    readonly reason: string,
  ) {
    super(`${quote(reference)} is not a valid image reference: ${reason}`);
  }
}

export class InvalidPlatformError extends Error {
  override name = "InvalidPlatformError";
  constructor(readonly platform: string) {
    super(`${quote(platform)} is not a valid platform: expected os/arch or os/arch/variant, e.g. linux/arm64`);
  }
}

/** A value quoted for a message, cut short so a hostile input cannot make the message huge. */
function quote(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 76)}..."` : text;
}

/** Checks a reference against the grammar and splits it, without normalising it. */
export function splitReference(ref: string): ReferenceParts {
  const fail = (reason: string): never => {
    throw new InvalidReferenceError(ref, reason);
  };
  const characterProblem = findCharacterProblem(ref);
  if (characterProblem) fail(characterProblem);

  const at = ref.indexOf("@");
  const nameAndTag = at < 0 ? ref : ref.slice(0, at);
  const digest = at < 0 ? null : ref.slice(at + 1);
  const colon = nameAndTag.lastIndexOf(":");
  const hasTag = colon > nameAndTag.lastIndexOf("/");
  const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
  const tag = hasTag ? nameAndTag.slice(colon + 1) : null;

  const nameProblem = findNameProblem(name);
  if (nameProblem) fail(nameProblem);
  if (tag !== null) {
    const tagProblem = findTagProblem(tag);
    if (tagProblem) fail(tagProblem);
  }
  if (digest !== null) {
    const digestProblem = findDigestProblem(digest);
    if (digestProblem) fail(digestProblem);
  }
  const { domain, path } = splitDomain(name);
  return { name, domain, path, tag, digest };
}

/** Parses and normalises a reference the Docker way: `redis` is docker.io/library/redis. */
export function parseReference(ref: string): ImageReference {
  const { domain, path, tag, digest } = splitReference(ref);
  if (domain === null && IMAGE_ID.test(path)) {
    throw new InvalidReferenceError(ref, "a 64-character hex string is an image ID, not a repository name");
  }
  const registry = domain === null || domain === LEGACY_DEFAULT_REGISTRY ? DEFAULT_REGISTRY : domain;
  const repository = registry === DEFAULT_REGISTRY && !path.includes("/") ? `${OFFICIAL_IMAGES_NAMESPACE}/${path}` : path;
  return { registry, repository, tag, digest };
}

/** The full reference, `registry/repository[:tag][@digest]`, e.g. docker.io/library/redis:7. */
export function formatReference(ref: ImageReference): string {
  const tag = ref.tag === null ? "" : `:${ref.tag}`;
  const digest = ref.digest === null ? "" : `@${ref.digest}`;
  return `${ref.registry}/${ref.repository}${tag}${digest}`;
}

export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** `algorithm:hex` with a registered algorithm and its exact length, e.g. sha256 and 64 lowercase hex digits. */
export function isValidDigest(digest: string): boolean {
  return findDigestProblem(digest) === null;
}

function findCharacterProblem(ref: string): string | null {
  if (ref === "") return "the reference is empty";
  if (SHELL_EXPANSION.test(ref)) return 'it contains "$" or "`": a shell expansion such as $(date ...) was not expanded';
  if (WHITESPACE.test(ref)) return "it contains whitespace";
  for (const character of ref) {
    if (!REFERENCE_CHARACTER.test(character)) return `it contains ${quote(character)}, which cannot appear in an image reference`;
  }
  return null;
}

function findNameProblem(name: string): string | null {
  if (name === "") return "the repository name is missing";
  if (name.length > MAX_NAME_LENGTH) return `the name is ${name.length} characters long; at most ${MAX_NAME_LENGTH} are allowed`;
  const { domain, path } = splitDomain(name);
  if (domain !== null && !DOMAIN.test(domain)) return `the registry ${quote(domain)} is not a valid host[:port]`;
  for (const component of path.split("/")) {
    const problem = findPathComponentProblem(component);
    if (problem) return problem;
  }
  return null;
}

function findPathComponentProblem(component: string): string | null {
  if (component === "") return 'the repository path has an empty component (a leading, trailing or double "/")';
  if (PATH_COMPONENT.test(component)) return null;
  if (PATH_COMPONENT.test(component.toLowerCase())) return "repository names must be lowercase";
  return (
    `the path component ${quote(component)} is not valid: it must be lowercase letters and digits, ` +
    'separated by single ".", "_", "__" or dashes, and cannot start or end with a separator'
  );
}

function findTagProblem(tag: string): string | null {
  if (tag === "") return 'the tag after ":" is empty';
  if (tag.length > MAX_TAG_LENGTH) return `the tag is ${tag.length} characters long; at most ${MAX_TAG_LENGTH} are allowed`;
  if (TAG.test(tag)) return null;
  return `the tag ${quote(tag)} is not valid: it must start with a letter, digit or "_" and contain only letters, digits, "_", "." and "-"`;
}

function findDigestProblem(digest: string): string | null {
  if (digest === "") return 'the digest after "@" is empty';
  const match = DIGEST.exec(digest);
  const algorithm = match?.[1];
  const hex = match?.[2];
  if (algorithm === undefined || hex === undefined) {
    return `the digest ${quote(digest)} is not valid: expected algorithm:hex, e.g. sha256: and 64 hex digits`;
  }
  const length = DIGEST_HEX_LENGTHS[algorithm];
  if (length === undefined) return `the digest algorithm ${quote(algorithm)} is not supported (sha256, sha384 or sha512)`;
  if (hex.length !== length || hex !== hex.toLowerCase()) {
    return `the digest ${quote(digest)} is not valid: a ${algorithm} digest has ${length} lowercase hex digits`;
  }
  return null;
}

function splitDomain(name: string): { domain: string | null; path: string } {
  const slash = name.indexOf("/");
  if (slash < 0) return { domain: null, path: name };
  const first = name.slice(0, slash);
  const isDomain = first.includes(".") || first.includes(":") || first === "localhost";
  return isDomain ? { domain: first, path: name.slice(slash + 1) } : { domain: null, path: name };
}

// ---------------------------------------------------------------------------
// Registries

/** The host that serves a registry's API: Docker Hub's API is not at docker.io. */
export function registryHostFor(registry: string): string {
  return registry === DEFAULT_REGISTRY || registry === LEGACY_DEFAULT_REGISTRY ? DOCKER_HUB_API_HOST : registry;
}

/**
 * True for localhost, 127.0.0.0/8 and [::1], each with an optional port. The host is read with
 * the URL parser that fetch uses, so what counts as loopback here is what fetch connects to
 * (127.1 is 127.0.0.1 to both).
 */
export function isLoopbackRegistry(registry: string): boolean {
  if (!DOMAIN.test(registry)) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${registry}/`).hostname;
  } catch {
    return false;
  }
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

// ---------------------------------------------------------------------------
// Platforms

export function isValidPlatform(platform: string): boolean {
  return PLATFORM_PATTERN.test(platform);
}

/** "linux/arm64/v8" → { os: "linux", architecture: "arm64", variant: "v8" }. */
export function parsePlatform(platform: string): Platform {
  if (!isValidPlatform(platform)) throw new InvalidPlatformError(platform);
  const [os = "", architecture = "", variant] = platform.split("/");
  return { os, architecture, variant: variant ?? null };
}

export function formatPlatform(platform: { os: string; architecture: string; variant?: string | null }): string {
  const { os, architecture, variant } = platform;
  return variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`;
}

/** buildah writes linux/arm64 as linux/arm64/v8; the two name the same platform. Nothing else is loosened. */
export function samePlatform(platform: string): string {
  return platform === "linux/arm64/v8" ? "linux/arm64" : platform;
}

/** The same repository pinned to a digest: registry/repo:tag → registry/repo@sha256:…. Throws InvalidReferenceError. */
export function pinnedReference(reference: string, digest: string): string {
  return formatReference({ ...parseReference(reference), tag: null, digest });
}

/** sha256:0123456789ab: enough to tell digests apart in a sentence. */
export function shortDigest(digest: string): string {
  return digest.replace(/^(sha\d+:)([0-9a-f]{12})[0-9a-f]*$/, "$1$2");
}
