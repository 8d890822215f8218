import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readArtifacts, MAX_STATEMENT_BYTES } from "@/lib/registry/artifacts";
import { digestOf, pushCosignSignature, pushTestImage, startTestRegistry, type TestRegistry } from "@/lib/registry/testing";
import { readSupplyChain } from "@/lib/supply-chain/read";
import { summarise } from "@/lib/supply-chain/summary";
import { cosignTestKey, provenanceV02, provenanceV1, spdx, statement } from "@/lib/supply-chain/testing";

// Against Debian's docker-registry on 127.0.0.1 (the CNCF distribution registry: no referrers API, so 404),
// and a small proxy in front of it that answers the referrers API itself, as OCI 1.1 registries do.

const BASE = { uri: "pkg:docker/gcr.io/distroless/python3-debian12@latest?platform=linux%2Farm64", sha256: "a".repeat(64) };
const PLATFORMS = (tag: string) => [
  { platform: "linux/arm64", layers: [Buffer.from(`arm64 ${tag}`)], config: { config: { User: "65532:65532" } } },
  { platform: "linux/amd64", layers: [Buffer.from(`amd64 ${tag}`)], config: { config: { User: "65532:65532" } } },
];
const access = { registry: null, credentials: null };

let registry: TestRegistry;
beforeAll(async () => {
  registry = await startTestRegistry();
});
afterAll(async () => {
  await registry?.stop();
});

describe("reading a pushed image's supply chain", () => {
  it("reads buildx's index-entry attestations per platform: SBOM packages and copyleft licenses, provenance bases, revision, Dockerfile and times", async () => {
    const pushed = await pushTestImage(registry.host, "pickme/lucid-api", "1", PLATFORMS("1"), {
      statements: () => [
        spdx([
          { name: "python3.11", license: "PSF-2.0" },
          { name: "libreadline8", version: "8.2-1.3", license: "GPL-3.0-or-later" },
          { name: "libc6", license: "LGPL-2.1-or-later AND GPL-2.0-or-later" },
          { name: "libgcc-s1", license: "LGPL-2.1-only" },
        ]),
        provenanceV02([BASE]),
      ],
    });
    const outcome = await readSupplyChain(`${registry.host}/pickme/lucid-api:1`, pushed.digest, { access, key: null });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const { summary } = outcome;
    expect(summary.referrers).toBe("unsupported");
    expect(summary.problems).toEqual([]);
    expect(summary.platforms.map((p) => [p.platform, p.forms, p.sbom?.packages, p.provenance?.predicateType])).toEqual([
      ["linux/arm64", ["index-entry"], 4, "https://slsa.dev/provenance/v0.2"],
      ["linux/amd64", ["index-entry"], 4, "https://slsa.dev/provenance/v0.2"],
    ]);
    const arm = summary.platforms[0]!;
    expect(arm.sbom!.copyleft).toEqual([
      { name: "libreadline8", version: "8.2-1.3", license: "GPL-3.0-or-later" },
      { name: "libc6", version: "1.0", license: "GPL-2.0-or-later" },
    ]);
    expect(arm.provenance).toMatchObject({
      materials: [{ reference: "gcr.io/distroless/python3-debian12:latest", digest: `sha256:${"a".repeat(64)}`, platform: "linux/arm64" }],
      revision: "4f2a9c1e0b7d",
      source: "https://github.com/HamiGames/Lucid.git",
      dockerfile: "RDP/Dockerfile.monitor",
      startedOn: "2026-11-30T10:00:00Z",
      finishedOn: "2026-11-30T10:04:30Z",
    });
    expect(summary.signature).toMatchObject({ state: "unsigned" });
  });

  it("reads newer BuildKit's OCI artifact form (artifactType, subject, empty config) and SLSA v1", async () => {
    const pushed = await pushTestImage(registry.host, "pickme/lucid-artifact", "1", PLATFORMS("artifact"), {
      attestationForm: "oci-artifact",
      statements: () => [provenanceV1([BASE])],
    });
    const read = await readArtifacts(`${registry.host}/pickme/lucid-artifact@${pushed.digest}`);
    expect(read.attestations.map((a) => [a.form, a.subject])).toEqual(pushed.platforms.map((p) => ["oci-artifact", p.digest]));
    const summary = summarise(read, null);
    expect(summary.platforms[0]!.provenance).toMatchObject({ predicateType: "https://slsa.dev/provenance/v1", revision: "9b1c0d2e3f4a", dockerfile: "sessions/Dockerfile.api", builder: "https://github.com/HamiGames/Lucid/actions/runs/1" });
    expect(summary.platforms[0]!.sbom).toBeNull();
  });

  it("verifies a cosign signature with the configured key; without a key it is signed, with another key or another digest invalid", async () => {
    const key = cosignTestKey();
    const pushed = await pushTestImage(registry.host, "pickme/lucid-signed", "1", PLATFORMS("signed"));
    await pushCosignSignature(registry.host, "pickme/lucid-signed", pushed.digest, key.sign);
    const ref = `${registry.host}/pickme/lucid-signed:1`;
    const judged = async (k: ReturnType<typeof cosignTestKey>["publicKey"] | null) => {
      const outcome = await readSupplyChain(ref, pushed.digest, { access, key: k });
      return outcome.ok ? outcome.summary.signature : null;
    };
    expect(await judged(key.publicKey)).toMatchObject({ state: "verified", via: "tag", identity: `${registry.host}/pickme/lucid-signed` });
    expect(await judged(null)).toMatchObject({ state: "signed", detail: expect.stringContaining("no LUCID_COSIGN_PUBLIC_KEY") });
    expect(await judged(cosignTestKey().publicKey)).toMatchObject({ state: "invalid", detail: "a signature is present but does not verify with LUCID_COSIGN_PUBLIC_KEY" });

    // A signature moved from another image: the payload names a digest that is not this one.
    const other = await pushTestImage(registry.host, "pickme/lucid-signed", "2", PLATFORMS("other"));
    await pushCosignSignature(registry.host, "pickme/lucid-signed", other.digest, key.sign, pushed.digest);
    const moved = await readSupplyChain(`${registry.host}/pickme/lucid-signed:2`, other.digest, { access, key: key.publicKey });
    expect(moved.ok && moved.summary.signature).toMatchObject({ state: "invalid", detail: expect.stringContaining(`names ${pushed.digest}, not this image`) });
  });

  it("refuses malformed statements with a reason and still reads the rest", async () => {
    const pushed = await pushTestImage(registry.host, "pickme/lucid-malformed", "1", PLATFORMS("malformed").slice(0, 1), {
      statements: () => [
        { predicateType: "https://spdx.dev/Document", body: Buffer.from("{ this is not json") },
        statement("https://slsa.dev/provenance/v0.2", { materials: "not a list" }),
        statement("https://spdx.dev/Document", { packages: [] }),
        provenanceV02([BASE]),
      ],
    });
    const outcome = await readSupplyChain(`${registry.host}/pickme/lucid-malformed:1`, pushed.digest, { access, key: null });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.summary.problems).toEqual([
      expect.stringMatching(/the in-toto statement sha256:[0-9a-f]{64} \(https:\/\/spdx\.dev\/Document\) is not JSON/),
      expect.stringMatching(/is refused: its predicate is not a SLSA provenance v0\.2 \(materials: /),
      expect.stringMatching(/is refused: its predicate is not a SPDX document \(spdxVersion: /),
    ]);
    expect(outcome.summary.platforms[0]!.provenance?.materials).toHaveLength(1);
    expect(outcome.summary.platforms[0]!.sbom).toBeNull();
  });

  it("says why an image that is not in the registry cannot be read, and stores nothing wrong", async () => {
    const outcome = await readSupplyChain(`${registry.host}/pickme/lucid-none:1`, `sha256:${"b".repeat(64)}`, { access, key: null });
    expect(outcome).toEqual({ ok: false, error: `${registry.host}/pickme/lucid-none@sha256:${"b".repeat(64)} was not found in the registry` });
  });
});

describe("a registry with the referrers API", () => {
  let proxy: Server;
  let host: string;
  const referrers = new Map<string, object[]>();
  let oversized: string | null = null;

  beforeAll(async () => {
    // Answers GET /v2/<repo>/referrers/<digest> itself and forwards everything else to docker-registry.
    proxy = createServer((req, res) => {
      const match = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/.exec(req.url ?? "");
      if (match) {
        const body = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: referrers.get(match[2]!) ?? [] });
        res.writeHead(200, { "content-type": "application/vnd.oci.image.index.v1+json" }).end(body);
        return;
      }
      if (oversized && req.url?.endsWith(`/blobs/${oversized}`)) {
        res.writeHead(200, { "content-length": String(MAX_STATEMENT_BYTES + 1) });
        res.end(Buffer.alloc(MAX_STATEMENT_BYTES + 1, 0x20));
        return;
      }
      const forward = httpRequest(`http://${registry.host}${req.url}`, { method: req.method, headers: req.headers }, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
  });

  it("finds attestation artifacts and a cosign OCI 1.1 signature through referrers (200), and refuses an oversized statement without reading it", async () => {
    const key = cosignTestKey();
    // Pushed without attestations in the index: only the referrers API can find them.
    const pushed = await pushTestImage(registry.host, "pickme/lucid-referred", "1", PLATFORMS("referred"), { attestations: false });
    const withAttestations = await pushTestImage(registry.host, "pickme/lucid-referred", "source", PLATFORMS("referred"), {
      attestationForm: "oci-artifact",
      statements: () => [spdx([{ name: "ca-certificates", license: "MPL-2.0" }]), provenanceV02([BASE])],
    });
    const index = await (await fetch(`http://${registry.host}/v2/pickme/lucid-referred/manifests/source`, { headers: { accept: "application/vnd.oci.image.index.v1+json" } })).json();
    const attestationEntries = (index.manifests as { digest: string; annotations?: Record<string, string> }[]).filter((m) => m.annotations?.["vnd.docker.reference.type"]);
    for (const entry of attestationEntries) {
      const subject = entry.annotations!["vnd.docker.reference.digest"]!;
      referrers.set(subject, [...(referrers.get(subject) ?? []), { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: entry.digest, size: 1, artifactType: "application/vnd.docker.attestation.manifest.v1+json" }]);
    }
    // cosign --registry-referrers-mode=oci-1-1 hangs the signature off the index as a referrer: pushed here under the
    // tag scheme (the test registry cannot store referrers) and listed by the proxy; a referrer is read first.
    await pushCosignSignature(registry.host, "pickme/lucid-referred", pushed.digest, key.sign);
    const sigTag = await fetch(`http://${registry.host}/v2/pickme/lucid-referred/manifests/${pushed.digest.replace(":", "-")}.sig`, { method: "HEAD", headers: { accept: "application/vnd.oci.image.manifest.v1+json" } });
    const sigDigest = sigTag.headers.get("docker-content-digest")!;
    referrers.set(pushed.digest, [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: sigDigest, size: 1, artifactType: "application/vnd.dev.cosign.artifact.sig.v1+json" }]);

    const read = await readArtifacts(`${host}/pickme/lucid-referred@${pushed.digest}`);
    expect(read.referrers).toBe("supported");
    // The attestations describe the platform manifests, which are the same in both pushes (same layers and configs).
    expect(read.attestations.map((a) => a.via)).toEqual(["referrers", "referrers"]);
    const summary = summarise(read, key.publicKey);
    expect(summary.platforms.map((p) => [p.sbom?.packages, p.provenance?.revision])).toEqual([[1, "4f2a9c1e0b7d"], [1, "4f2a9c1e0b7d"]]);
    expect(summary.signature).toMatchObject({ state: "verified", via: "referrers" });
    expect(withAttestations.platforms.map((p) => p.digest)).toEqual(pushed.platforms.map((p) => p.digest));

    // An SBOM blob larger than the cap is refused by its size, the provenance beside it still read.
    const statements = [spdx([{ name: "big", license: "MIT" }]), provenanceV02([BASE])];
    oversized = digestOf(statements[0]!.body);
    const big = await pushTestImage(registry.host, "pickme/lucid-big", "1", PLATFORMS("big").slice(0, 1), { statements: () => statements });
    const bigRead = summarise(await readArtifacts(`${host}/pickme/lucid-big@${big.digest}`), null);
    expect(bigRead.problems).toEqual([expect.stringContaining(`the in-toto statement ${oversized} (https://spdx.dev/Document) is larger than 16 MiB; refusing to read it`)]);
    expect(bigRead.platforms[0]!.provenance).not.toBeNull();
  });
});
