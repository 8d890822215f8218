/**
 * Test fixtures: a real CNCF distribution registry (Debian's `docker-registry`) on 127.0.0.1,
 * and a way to push images into it straight through the registry API, without a builder.
 * Used by the unit tests here and by end-to-end tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parsePlatform } from "@/lib/registry/reference";

const REGISTRY_BINARY = "/usr/bin/docker-registry";
const READY_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 3;

const OCI_INDEX = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
const OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
const DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
const DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
const DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
const DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
const IN_TOTO = "application/vnd.in-toto+json";

export type TestRegistry = { host: string; stop(): Promise<void> };

export type TestPlatformImage = { platform: string; layers: Buffer[]; config: object };

export type PushTestImageOptions = {
  /** Push an index (default) or a single manifest (exactly one platform). */
  index?: boolean;
  /** OCI media types (default) or Docker's v2 schema 2, as `buildah manifest push --format v2s2` writes. */
  format?: "oci" | "docker";
  /** Add an unknown/unknown attestation manifest per platform, as buildx does by default (OCI indexes only; default true). */
  attestations?: boolean;
  /** The in-toto statements of each platform's attestation manifest (default: one empty provenance). */
  statements?: (platform: string) => TestStatement[];
  /** buildx's classic index entry (default), or the OCI 1.1 artifact form newer BuildKit writes (artifactType, subject, empty config). */
  attestationForm?: "index-entry" | "oci-artifact";
};

/** One in-toto statement layer: its predicate type annotation and its bytes (a JSON document, or anything for bad-input tests). */
export type TestStatement = { predicateType: string; body: Buffer };

export type PushedTestImage = {
  /** The digest of the tag's manifest, as the registry reported it. */
  digest: string;
  mediaType: string;
  platforms: { platform: string; digest: string; configDigest: string; compressedBytes: number }[];
};

type Descriptor = { mediaType: string; digest: string; size: number; platform?: object; annotations?: Record<string, string> };

/** Starts `docker-registry serve` on a free loopback port with its storage in a temporary directory. */
export async function startTestRegistry(): Promise<TestRegistry> {
  await access(REGISTRY_BINARY).catch(() => {
    throw new Error(`${REGISTRY_BINARY} is missing: install Debian's docker-registry package (apt-get install docker-registry)`);
  });
  const directory = await mkdtemp(join(tmpdir(), "lucid-registry-"));
  let lastError: unknown = null;
  // A free port can be taken by another process between finding and binding it: try again on another.
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnFreePort(directory);
    } catch (error) {
      lastError = error;
    }
  }
  await rm(directory, { recursive: true, force: true });
  throw lastError;
}

async function startOnFreePort(directory: string): Promise<TestRegistry> {
  const host = `127.0.0.1:${await findFreePort()}`;
  const configPath = join(directory, "config.yml");
  await writeFile(configPath, registryConfig(join(directory, "storage"), host));
  const child = spawn(REGISTRY_BINARY, ["serve", configPath], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.off("exit", killOnExit);
    await terminate(child);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(host, child, () => stderr);
  } catch (error) {
    process.off("exit", killOnExit);
    await terminate(child);
    throw error;
  }
  return { host, stop };
}

function registryConfig(rootDirectory: string, addr: string): string {
  return [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${JSON.stringify(rootDirectory)}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: ${addr}`,
    "",
  ].join("\n");
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(host: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`docker-registry exited (${child.exitCode ?? child.signalCode}) before it was ready: ${stderr().trim()}`);
    }
    const response = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(1_000) }).catch(() => null);
    if (response?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`docker-registry did not answer on ${host} within ${READY_TIMEOUT_MS} ms: ${stderr().trim()}`);
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 2_000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------
// Pushing

/**
 * Pushes one image to `host/repo:tag`: every layer and config blob, one manifest per platform and,
 * with `index`, an index over them. `config` is the image config; `os`, `architecture`, `variant`
 * and `rootfs` are filled in from the platform and layers unless given.
 */
export async function pushTestImage(
  host: string,
  repo: string,
  tag: string,
  platforms: TestPlatformImage[],
  { index = true, format = "oci", attestations = true, statements = defaultStatements, attestationForm = "index-entry" }: PushTestImageOptions = {},
): Promise<PushedTestImage> {
  if (!index && platforms.length !== 1) throw new Error("a single-manifest push needs exactly one platform");
  const types = format === "oci"
    ? { index: OCI_INDEX, manifest: OCI_MANIFEST, config: OCI_CONFIG, layer: OCI_LAYER }
    : { index: DOCKER_MANIFEST_LIST, manifest: DOCKER_MANIFEST, config: DOCKER_CONFIG, layer: DOCKER_LAYER };
  const pushed: PushedTestImage["platforms"] = [];
  const entries: Descriptor[] = [];
  for (const image of platforms) {
    const manifest = await pushPlatformManifest(host, repo, image, types, index ? null : tag);
    entries.push({ ...manifest.descriptor, platform: descriptorPlatform(image.platform) });
    pushed.push({ platform: image.platform, digest: manifest.descriptor.digest, configDigest: manifest.configDigest, compressedBytes: manifest.compressedBytes });
  }
  const single = pushed[0];
  if (!index && single) return { digest: single.digest, mediaType: types.manifest, platforms: pushed };
  if (attestations && format === "oci") {
    for (const [i, entry] of [...entries].entries()) {
      entries.push(await pushAttestation(host, repo, { ...entry, mediaType: types.manifest }, statements(platforms[i]!.platform), attestationForm));
    }
  }
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: types.index, manifests: entries }));
  const digest = await putManifest(host, repo, tag, types.index, body);
  return { digest, mediaType: types.index, platforms: pushed };
}

function descriptorPlatform(platform: string): object {
  const { os, architecture, variant } = parsePlatform(platform);
  return variant === null ? { architecture, os } : { architecture, os, variant };
}

type MediaTypes = { manifest: string; config: string; layer: string };

/** Pushes one platform's blobs and manifest, under `tag` when given, else by its digest. */
async function pushPlatformManifest(host: string, repo: string, image: TestPlatformImage, types: MediaTypes, tag: string | null) {
  const body = await manifestBody(host, repo, image, types);
  const digest = await putManifest(host, repo, tag ?? digestOf(body), types.manifest, body);
  const configDigest = digestOf(configBytes(image));
  const compressedBytes = image.layers.reduce((sum, layer) => sum + layer.length, 0);
  return { descriptor: { mediaType: types.manifest, digest, size: body.length }, configDigest, compressedBytes };
}

/** Uploads the config and layer blobs of one platform and returns its manifest's bytes. */
async function manifestBody(host: string, repo: string, image: TestPlatformImage, types: MediaTypes): Promise<Buffer> {
  const config = configBytes(image);
  const layers: Descriptor[] = [];
  for (const layer of image.layers) {
    layers.push({ mediaType: types.layer, digest: await uploadBlob(host, repo, layer), size: layer.length });
  }
  const configDescriptor = { mediaType: types.config, digest: await uploadBlob(host, repo, config), size: config.length };
  return Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: types.manifest, config: configDescriptor, layers }));
}

function configBytes(image: TestPlatformImage): Buffer {
  const { os, architecture, variant } = parsePlatform(image.platform);
  const rootfs = { type: "layers", diff_ids: image.layers.map(digestOf) };
  const defaults = variant === null ? { architecture, os, rootfs } : { architecture, os, variant, rootfs };
  return Buffer.from(JSON.stringify({ ...defaults, ...image.config }));
}

function defaultStatements(): TestStatement[] {
  const predicateType = "https://slsa.dev/provenance/v0.2";
  return [{ predicateType, body: Buffer.from(JSON.stringify({ _type: "https://in-toto.io/Statement/v0.1", predicateType, subject: [], predicate: {} })) }];
}

/** An attestation manifest for the platform manifest `subject`, shaped like the ones buildx pushes, in either form. */
async function pushAttestation(host: string, repo: string, subject: Descriptor, statements: TestStatement[], form: "index-entry" | "oci-artifact"): Promise<Descriptor> {
  const layers = [];
  for (const statement of statements) {
    layers.push({ mediaType: IN_TOTO, digest: await uploadBlob(host, repo, statement.body), size: statement.body.length, annotations: { "in-toto.io/predicate-type": statement.predicateType } });
  }
  const config =
    form === "index-entry"
      ? Buffer.from(JSON.stringify({ architecture: "unknown", os: "unknown", config: {}, rootfs: { type: "layers", diff_ids: statements.map((s) => digestOf(s.body)) } }))
      : Buffer.from("{}");
  const configDescriptor = { mediaType: form === "index-entry" ? OCI_CONFIG : "application/vnd.oci.empty.v1+json", digest: await uploadBlob(host, repo, config), size: config.length };
  const artifact = form === "oci-artifact" ? { artifactType: "application/vnd.docker.attestation.manifest.v1+json", subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size } } : {};
  const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, ...artifact, config: configDescriptor, layers }));
  const digest = await putManifest(host, repo, digestOf(body), OCI_MANIFEST, body);
  return {
    mediaType: OCI_MANIFEST,
    digest,
    size: body.length,
    platform: { architecture: "unknown", os: "unknown" },
    annotations: { "vnd.docker.reference.digest": subject.digest, "vnd.docker.reference.type": "attestation-manifest" },
  };
}

/**
 * A cosign signature of `digest` under cosign's tag scheme (`sha256-<hex>.sig`): a simple-signing payload naming
 * the digest, signed with `sign` (ECDSA P-256 over SHA-256, DER, base64, as cosign does).
 */
export async function pushCosignSignature(host: string, repo: string, digest: string, sign: (payload: Buffer) => string, payloadDigest = digest): Promise<void> {
  const payload = Buffer.from(
    JSON.stringify({ critical: { identity: { "docker-reference": `${host}/${repo}` }, image: { "docker-manifest-digest": payloadDigest }, type: "cosign container image signature" }, optional: null }),
  );
  const config = Buffer.from(JSON.stringify({ architecture: "", os: "", config: {}, rootfs: { type: "layers", diff_ids: [digestOf(payload)] } }));
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: await uploadBlob(host, repo, config), size: config.length },
      layers: [
        {
          mediaType: "application/vnd.dev.cosign.simplesigning.v1+json",
          digest: await uploadBlob(host, repo, payload),
          size: payload.length,
          annotations: { "dev.cosignproject.cosign/signature": sign(payload) },
        },
      ],
    }),
  );
  await putManifest(host, repo, `${digest.replace(":", "-")}.sig`, OCI_MANIFEST, body);
}

/** Monolithic upload: POST opens an upload session, PUT with the digest completes it. */
async function uploadBlob(host: string, repo: string, bytes: Buffer): Promise<string> {
  const digest = digestOf(bytes);
  const opened = await expectStatus(await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: "POST" }), 202, "open a blob upload");
  const location = opened.headers.get("location");
  if (!location) throw new Error("the registry opened a blob upload without a Location header");
  const url = new URL(location, `http://${host}/`);
  url.searchParams.set("digest", digest);
  const response = await fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream", "content-length": String(bytes.length) },
    body: new Uint8Array(bytes),
  });
  await expectStatus(response, 201, `upload blob ${digest}`);
  return digest;
}

/** PUTs a manifest under a tag or digest and returns the digest the registry reports for it. */
async function putManifest(host: string, repo: string, reference: string, mediaType: string, body: Buffer): Promise<string> {
  const response = await fetch(`http://${host}/v2/${repo}/manifests/${reference}`, {
    method: "PUT",
    headers: { "content-type": mediaType },
    body: new Uint8Array(body),
  });
  await expectStatus(response, 201, `put manifest ${repo}:${reference}`);
  const digest = response.headers.get("docker-content-digest");
  if (!digest) throw new Error(`the registry stored ${repo}:${reference} without a Docker-Content-Digest header`);
  return digest;
}

export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** Checks the status and reads the body, so the connection is free again; the headers stay readable. */
async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
  if (response.status === status) {
    await response.arrayBuffer();
    return response;
  }
  throw new Error(`could not ${what}: HTTP ${response.status} ${await response.text()}`);
}
