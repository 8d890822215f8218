/**
 * What sits in a registry beside a pushed image: buildx's attestation manifests (SBOM and provenance
 * in-toto statements) and cosign signatures, found in the image index, through the OCI 1.1 referrers
 * API, and through cosign's `sha256-<hex>.sig` tag. Read raw here; lib/supply-chain makes sense of them.
 *
 * A malformed or oversized artifact is a problem with a reason, never an exception: one bad SBOM
 * must not hide the provenance or the signature beside it.
 */
import { formatPlatform } from "@/lib/registry/reference";
import { isImageEntry } from "@/lib/registry/client";
import {
  badResponse,
  discard,
  expectOk,
  fetchBlob,
  fetchManifest,
  imageIndex,
  imageManifest,
  isImageManifest,
  isRecord,
  isIndex,
  MEDIA_TYPES,
  MiB,
  openSession,
  parseJson,
  parseWith,
  readBody,
  RegistryError,
  request,
  type Descriptor,
  type ImageManifest,
  type Session,
  type SessionOptions,
} from "@/lib/registry/session";

export const IN_TOTO = "application/vnd.in-toto+json";
export const ATTESTATION_ARTIFACT = "application/vnd.docker.attestation.manifest.v1+json";
export const COSIGN_SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json";
export const COSIGN_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json";
const SIGSTORE_BUNDLE = /^application\/vnd\.dev\.sigstore\.bundle(?:\.v[\d.]+)?\+json/;
const COSIGN_SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
const PREDICATE_ANNOTATION = "in-toto.io/predicate-type";
const REFERENCE_DIGEST = "vnd.docker.reference.digest";

/** An SBOM of a large image is a few MB; past this the statement is refused, not read. */
export const MAX_STATEMENT_BYTES = 16 * MiB;
const MAX_PAYLOAD_BYTES = 1 * MiB;
const MAX_ATTESTATION_MANIFESTS = 64;
const MAX_LAYERS = 32;
const MAX_REFERRERS = 256;
const MAX_SIGNATURES = 16;
/** Platforms whose referrers are asked for (an index can list any number). */
const MAX_REFERRED_PLATFORMS = 16;
/** All the statements of one image together: past this, the rest are refused unread. */
const MAX_TOTAL_BYTES = 64 * MiB;

export type Statement = {
  /** The in-toto statement's blob. */
  digest: string;
  predicateType: string | null;
  json: unknown;
};

export type AttestationManifestRead = {
  digest: string;
  /** The platform manifest it describes (its `subject`, else the index annotation), or null when neither says. */
  subject: string | null;
  /** buildx's classic index entry (unknown/unknown), or an OCI 1.1 artifact (artifactType and subject). */
  form: "index-entry" | "oci-artifact";
  via: "index" | "referrers";
  statements: Statement[];
};

export type SignatureRead = {
  /** The digest the signature artifact hangs off: the tag scheme names it, a referrer's subject says it. */
  signedDigest: string;
  via: "referrers" | "tag";
  /** The manifest holding the signature. */
  digest: string;
  format: "simple-signing" | "sigstore-bundle";
  /** Simple signing: the payload bytes the signature is over, and the base64 signature. */
  payload: Buffer | null;
  signature: string | null;
};

export type ArtifactsRead = {
  reference: string;
  digest: string;
  /** The image's own platform manifests. */
  platforms: { platform: string; digest: string }[];
  attestations: AttestationManifestRead[];
  signatures: SignatureRead[];
  /** Whether the registry answers the referrers API (the CNCF distribution registry answers 404); "failed" when it answered errors. */
  referrers: "supported" | "unsupported" | "failed";
  problems: string[];
};

/** Reads the attestations and signatures of `ref` (a tag or digest reference). Throws RegistryError when the image itself cannot be read. */
export async function readArtifacts(ref: string, options: SessionOptions = {}): Promise<ArtifactsRead> {
  const session = openSession(ref, options);
  const { reference } = session;
  const top = await fetchManifest(session, reference.digest ?? reference.tag ?? "latest", null);
  const problems: string[] = [];
  const platforms: ArtifactsRead["platforms"] = [];
  const entries: { descriptor: Descriptor; via: "index" | "referrers" }[] = [];
  if (isIndex(top.mediaType)) {
    const index = parseWith(session, imageIndex, top.json, "its image index");
    for (const entry of index.manifests) {
      if (isImageEntry(entry)) platforms.push({ platform: entry.platform ? formatPlatform(entry.platform) : entry.digest, digest: entry.digest });
      else entries.push({ descriptor: entry, via: "index" });
    }
  } else if (isImageManifest(top.mediaType)) {
    platforms.push({ platform: "(single manifest)", digest: top.digest });
  }

  // Referrers of the index and of each platform manifest: newer BuildKit and cosign's OCI 1.1 mode put artifacts there.
  const subjects = [top.digest, ...platforms.slice(0, MAX_REFERRED_PLATFORMS).map((p) => p.digest)];
  const referrerLists: (Descriptor[] | null)[] = [];
  let failed = false;
  for (const digest of subjects) {
    const before = problems.length;
    referrerLists.push((await guarded(problems, `the referrers of ${digest}`, () => readReferrers(session, digest))) ?? null);
    if (problems.length > before) failed = true;
  }
  const referrers = referrerLists.some((list) => list !== null) ? "supported" : failed ? "failed" : "unsupported";
  const seen = new Set(entries.map((e) => e.descriptor.digest));
  const signatureDescriptors: { descriptor: Descriptor; subject: string }[] = [];
  referrerLists.forEach((list, i) => {
    const subject = subjects[i]!;
    for (const descriptor of list ?? []) {
      if (seen.has(descriptor.digest)) continue;
      seen.add(descriptor.digest);
      if (isSignatureArtifact(descriptor.artifactType)) signatureDescriptors.push({ descriptor, subject });
      else if (descriptor.artifactType === ATTESTATION_ARTIFACT || descriptor.artifactType === IN_TOTO) {
        entries.push({ descriptor: { ...descriptor, annotations: { ...descriptor.annotations, [REFERENCE_DIGEST]: subject } }, via: "referrers" });
      }
    }
  });

  if (entries.length > MAX_ATTESTATION_MANIFESTS) problems.push(`${entries.length} attestation manifests; only the first ${MAX_ATTESTATION_MANIFESTS} were read`);
  const budget = { bytes: MAX_TOTAL_BYTES };
  const attestations: AttestationManifestRead[] = [];
  for (const entry of entries.slice(0, MAX_ATTESTATION_MANIFESTS)) {
    const read = await readAttestationManifest(session, entry.descriptor, entry.via, problems, budget);
    if (read) attestations.push(read);
  }

  if (signatureDescriptors.length > MAX_SIGNATURES) problems.push(`${signatureDescriptors.length} signature referrers; only the first ${MAX_SIGNATURES} were read`);
  const signatures: SignatureRead[] = [];
  for (const s of signatureDescriptors.slice(0, MAX_SIGNATURES)) signatures.push(...(await readSignatureManifest(session, s.descriptor.digest, s.subject, "referrers", problems)));
  signatures.push(...(await readTagSignature(session, top.digest, problems)));

  return { reference: session.label, digest: top.digest, platforms, attestations, signatures, referrers, problems };
}

function isSignatureArtifact(artifactType: string | undefined): boolean {
  return artifactType === COSIGN_ARTIFACT || (artifactType !== undefined && SIGSTORE_BUNDLE.test(artifactType));
}

/**
 * `GET /v2/<name>/referrers/<digest>`: the descriptors. When the registry does not offer the API (404), the OCI 1.1
 * fallback: an index tagged `sha256-<hex>` that clients keep up to date. Null when neither exists.
 */
export async function readReferrers(session: Session, digest: string): Promise<Descriptor[] | null> {
  const what = `the referrers of ${digest}`;
  const response = await request(session, `/v2/${session.repository}/referrers/${digest}`, MEDIA_TYPES.ociIndex);
  if (response.status === 404) {
    await discard(response);
    return readFallbackTag(session, digest);
  }
  await expectOk(session, response, what);
  const index = parseWith(session, imageIndex, parseJson(session, await readBody(session, response, 4 * MiB, what), what), what);
  return index.manifests.slice(0, MAX_REFERRERS);
}

async function readFallbackTag(session: Session, digest: string): Promise<Descriptor[] | null> {
  try {
    const fetched = await fetchManifest(session, digest.replace(":", "-"), null);
    if (!isIndex(fetched.mediaType)) return null;
    return parseWith(session, imageIndex, fetched.json, `the referrers tag of ${digest}`).manifests.slice(0, MAX_REFERRERS);
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") return null;
    throw error;
  }
}

type Budget = { bytes: number };

async function readAttestationManifest(session: Session, entry: Descriptor, via: "index" | "referrers", problems: string[], budget: Budget): Promise<AttestationManifestRead | null> {
  const what = `the attestation manifest ${entry.digest}`;
  const manifest = await guarded(problems, what, async () => {
    const fetched = await fetchManifest(session, entry.digest, entry.digest);
    if (!isImageManifest(fetched.mediaType)) throw badResponse(session, `${what} has the media type ${JSON.stringify(fetched.mediaType)}, not a manifest`);
    return parseWith(session, imageManifest, fetched.json, what);
  });
  if (!manifest) return null;
  const subject = manifest.subject?.digest ?? entry.annotations?.[REFERENCE_DIGEST] ?? null;
  const layers = manifest.layers.filter((layer) => layer.mediaType === IN_TOTO);
  if (layers.length > MAX_LAYERS) problems.push(`${what} has ${layers.length} statements; only the first ${MAX_LAYERS} were read`);
  const statements: Statement[] = [];
  for (const layer of layers.slice(0, MAX_LAYERS)) {
    const statement = await readStatement(session, layer, problems, budget);
    if (statement) statements.push(statement);
  }
  return { digest: entry.digest, subject, form: isArtifact(manifest) ? "oci-artifact" : "index-entry", via, statements };
}

/** An OCI 1.1 artifact manifest: an artifactType, or an empty config with a subject. */
function isArtifact(manifest: ImageManifest): boolean {
  return manifest.artifactType !== undefined || (manifest.subject !== undefined && manifest.config.mediaType === "application/vnd.oci.empty.v1+json");
}

async function readStatement(session: Session, layer: Descriptor, problems: string[], budget: Budget): Promise<Statement | null> {
  const declared = layer.annotations?.[PREDICATE_ANNOTATION] ?? null;
  const what = `the in-toto statement ${layer.digest}${declared ? ` (${declared})` : ""}`;
  if (layer.size > MAX_STATEMENT_BYTES) {
    problems.push(`${what} is ${(layer.size / MiB).toFixed(1)} MiB, larger than ${MAX_STATEMENT_BYTES / MiB} MiB; refused without reading it`);
    return null;
  }
  if (layer.size > budget.bytes) {
    problems.push(`${what} was not read: this image's statements are over ${MAX_TOTAL_BYTES / MiB} MiB together`);
    return null;
  }
  budget.bytes -= layer.size;
  return guarded(problems, what, async () => {
    const json = parseJson(session, await fetchBlob(session, layer.digest, MAX_STATEMENT_BYTES, what), what);
    const stated = isRecord(json) && typeof json.predicateType === "string" ? json.predicateType : null;
    return { digest: layer.digest, predicateType: stated ?? declared, json };
  });
}

/** cosign's tag scheme: the signatures of `sha256:abc` are the layers of the manifest tagged `sha256-abc.sig`. */
async function readTagSignature(session: Session, digest: string, problems: string[]): Promise<SignatureRead[]> {
  const tag = `${digest.replace(":", "-")}.sig`;
  try {
    const fetched = await fetchManifest(session, tag, null);
    return signaturesIn(session, fetched.json, fetched.digest, digest, "tag", problems);
  } catch (error) {
    if (error instanceof RegistryError && error.code === "not-found") return [];
    if (error instanceof RegistryError) {
      problems.push(`the signature tag ${tag}: ${error.message}`);
      return [];
    }
    throw error;
  }
}

async function readSignatureManifest(session: Session, digest: string, subject: string, via: "referrers" | "tag", problems: string[]): Promise<SignatureRead[]> {
  const fetched = await guarded(problems, `the signature manifest ${digest}`, () => fetchManifest(session, digest, digest));
  return fetched ? signaturesIn(session, fetched.json, fetched.digest, subject, via, problems) : [];
}

async function signaturesIn(session: Session, json: unknown, manifestDigest: string, signedDigest: string, via: "referrers" | "tag", problems: string[]): Promise<SignatureRead[]> {
  const what = `the signature manifest ${manifestDigest}`;
  const manifest = await guarded(problems, what, async () => parseWith(session, imageManifest, json, what));
  if (!manifest) return [];
  const found: SignatureRead[] = [];
  for (const layer of manifest.layers.slice(0, MAX_LAYERS)) {
    if (layer.mediaType !== undefined && SIGSTORE_BUNDLE.test(layer.mediaType)) {
      found.push({ signedDigest, via, digest: manifestDigest, format: "sigstore-bundle", payload: null, signature: null });
      continue;
    }
    if (layer.mediaType !== COSIGN_SIMPLE_SIGNING) continue;
    const signature = layer.annotations?.[COSIGN_SIGNATURE_ANNOTATION] ?? null;
    const payload = await guarded(problems, `the signed payload ${layer.digest}`, () => fetchBlob(session, layer.digest, MAX_PAYLOAD_BYTES, `the signed payload ${layer.digest}`));
    if (payload) found.push({ signedDigest, via, digest: manifestDigest, format: "simple-signing", payload, signature });
  }
  return found;
}

/** Runs one read; a registry error becomes a problem with its reason and the read goes on without it. */
async function guarded<T>(problems: string[], what: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    problems.push(error.message.includes(what) ? error.message : `${what}: ${error.message}`);
    return null;
  }
}
