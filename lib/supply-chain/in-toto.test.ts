import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ArtifactsRead } from "@/lib/registry/artifacts";
import { copyleftLicense, dockerPurl, interpretStatement, PREDICATES, StatementError } from "@/lib/supply-chain/in-toto";
import { summarise } from "@/lib/supply-chain/summary";
import { baseUses, judgeFreshness, type BaseState, type BuiltImage } from "@/lib/supply-chain/freshness";
import { cosignPublicKey, CosignKeyError, judgeSignatures } from "@/lib/supply-chain/signature";
import { cosignTestKey, spdx } from "@/lib/supply-chain/testing";

describe("pkg:docker materials", () => {
  it("reads BuildKit's purls as normalised references, Docker Hub and digests included", () => {
    expect(dockerPurl("pkg:docker/alpine@3.20?platform=linux%2Farm64")).toEqual({ reference: "docker.io/library/alpine:3.20", platform: "linux/arm64" });
    expect(dockerPurl("pkg:docker/gcr.io/distroless/python3-debian12@latest?platform=linux%2Famd64")).toEqual({ reference: "gcr.io/distroless/python3-debian12:latest", platform: "linux/amd64" });
    expect(dockerPurl(`pkg:docker/pickme/lucid-base@sha256%3A${"a".repeat(64)}`)).toEqual({ reference: `docker.io/pickme/lucid-base@sha256:${"a".repeat(64)}`, platform: null });
    expect(dockerPurl("https://github.com/HamiGames/Lucid.git")).toBeNull();
    expect(dockerPurl("pkg:docker/NOT VALID@1")).toBeNull();
  });
});

describe("copyleft licenses", () => {
  it("flags GPL and AGPL identifiers in an SPDX expression, not LGPL", () => {
    expect(copyleftLicense("GPL-2.0-only")).toBe("GPL-2.0-only");
    expect(copyleftLicense("(AGPL-3.0-or-later)")).toBe("AGPL-3.0-or-later");
    expect(copyleftLicense("(MIT OR AGPL-3.0-or-later)")).toBeNull();
    expect(copyleftLicense("LGPL-2.1-or-later AND GPL-2.0+")).toBe("GPL-2.0+");
    expect(copyleftLicense("LGPL-3.0-only")).toBeNull();
    expect(copyleftLicense("NOASSERTION")).toBeNull();
    // A choice obliges only when every alternative is GPL; GCC's runtime library exception lifts it.
    expect(copyleftLicense("GPL-2.0-only OR MIT")).toBeNull();
    expect(copyleftLicense("GPL-2.0-only OR AGPL-3.0-only")).toBe("GPL-2.0-only");
    expect(copyleftLicense("GPL-3.0-or-later WITH GCC-exception-3.1")).toBeNull();
    // Not SPDX identifiers, but what Debian copyright files often say.
    expect(copyleftLicense("GPLv2")).toBe("GPLv2");
    expect(copyleftLicense("GPL")).toBe("GPL");
    expect(copyleftLicense("LicenseRef-GPL-2")).toBe("LicenseRef-GPL-2");
  });
});

describe("in-toto statements", () => {
  it("refuses what is not a statement, and a predicate that is not what its type says", () => {
    expect(() => interpretStatement([1, 2])).toThrow(StatementError);
    expect(() => interpretStatement({ predicateType: "https://slsa.dev/provenance/v1", predicate: { buildDefinition: "x" } })).toThrow(/not a SLSA provenance v1 \(buildDefinition: /);
    expect(interpretStatement({ predicateType: "https://cyclonedx.org/vex", predicate: {} })).toEqual({ kind: "other", predicateType: "https://cyclonedx.org/vex" });
  });
});

describe("LUCID_COSIGN_PUBLIC_KEY", () => {
  it("takes a PEM or a file holding one, and refuses keys cosign does not make", () => {
    const { publicPem } = cosignTestKey();
    expect(cosignPublicKey({ LUCID_COSIGN_PUBLIC_KEY: publicPem })?.asymmetricKeyType).toBe("ec");
    const file = path.join(mkdtempSync(path.join(tmpdir(), "lucid-key-")), "cosign.pub");
    writeFileSync(file, publicPem);
    expect(cosignPublicKey({ LUCID_COSIGN_PUBLIC_KEY: file })).not.toBeNull();
    expect(cosignPublicKey({})).toBeNull();
    const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(() => cosignPublicKey({ LUCID_COSIGN_PUBLIC_KEY: rsa })).toThrow(/must be an ECDSA P-256 key .* it is rsa/);
    expect(() => cosignPublicKey({ LUCID_COSIGN_PUBLIC_KEY: "/nonexistent/cosign.pub" })).toThrow(CosignKeyError);
    expect(() => cosignPublicKey({ LUCID_COSIGN_PUBLIC_KEY: "-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----" })).toThrow(/not a PEM public key/);
  });
});

describe("freshness without enough evidence", () => {
  const digest = (c: string) => `sha256:${c.repeat(64)}`;
  const base: BaseState = { reference: "gcr.io/distroless/static:nonroot", planImage: null, history: [{ digest: digest("1"), since: new Date(), platforms: [] }], checkedAt: new Date(), error: null };
  const image: BuiltImage = { buildId: 7, platforms: [{ platform: "linux/arm64", digest: digest("9"), diffIds: [digest("5")] }], materials: null };
  const use = { reference: base.reference, written: base.reference, line: 3, final: true };

  it("says unknown, never current, when neither provenance nor layers can tell", () => {
    // The base's platforms could not be read: no layers to compare.
    expect(judgeFreshness(use, base, image)).toMatchObject({ state: "unknown", evidence: null, detail: expect.stringContaining("no layers were recorded") });
    expect(judgeFreshness({ ...use, final: false }, base, image)).toMatchObject({ state: "unknown", detail: expect.stringContaining("builder stage's base leaves no layers") });
    // A base with no layers is a prefix of anything: no evidence.
    const empty = { ...base, history: [{ ...base.history[0]!, platforms: [{ platform: "linux/arm64", digest: digest("2"), diffIds: [] }] }] };
    expect(judgeFreshness(use, empty, image).state).toBe("unknown");
    expect(judgeFreshness(use, { ...base, history: [], checkedAt: null, error: "unauthorized" }, image)).toMatchObject({ state: "unknown", detail: "not checked: unauthorized" });
    expect(judgeFreshness(use, base, null)).toMatchObject({ state: "unknown", detail: "no pushed build to compare" });
  });

  it("treats a provenance digest it cannot place as unknown when the base's platforms are not known", () => {
    const withProvenance = { ...image, materials: [{ uri: "pkg:docker/gcr.io/distroless/static@nonroot", reference: base.reference, digest: digest("3"), platform: null }] };
    expect(judgeFreshness(use, base, withProvenance)).toMatchObject({ state: "unknown", evidence: "provenance", builtFrom: digest("3") });
    const known = { ...base, history: [{ ...base.history[0]!, platforms: [{ platform: "linux/arm64", digest: digest("4"), diffIds: [digest("6")] }] }] };
    expect(judgeFreshness(use, known, withProvenance)).toMatchObject({ state: "stale", evidence: "provenance" });
    expect(judgeFreshness(use, known, { ...withProvenance, materials: [{ ...withProvenance.materials[0]!, digest: digest("4") }] })).toMatchObject({ state: "up-to-date", evidence: "provenance" });
  });

  it("follows image bases only: scratch, digest pins and unresolved ARGs are skipped with a reason", () => {
    const stage = (from: string, extra: Partial<{ image: boolean; final: boolean; used: boolean; unresolved: string[] }> = {}) => ({ index: 0, alias: null, from, line: 1, image: true, final: false, used: true, unresolved: [], ...extra });
    const { uses, skipped } = baseUses({
      finalBase: "x",
      user: { value: null, source: "unknown", line: null },
      exposed: [],
      stages: [stage("python:3.12", {}), stage("scratch"), stage(`alpine@sha256:${"a".repeat(64)}`), stage("${REG}/x", { unresolved: ["REG"] }), stage("build", { image: false }), stage("node:22", { used: false }), stage("gcr.io/distroless/base", { final: true })],
    });
    expect(uses.map((u) => [u.reference, u.final])).toEqual([["docker.io/library/python:3.12", false], ["gcr.io/distroless/base:latest", true]]);
    expect(skipped).toEqual([expect.stringContaining("pinned by digest"), expect.stringContaining("needs REG, which has no value"), expect.stringContaining("node:22 starts a stage the final image does not use")]);
  });
});

describe("what the review found could show a false green", () => {
  const d = (c: string) => `sha256:${c.repeat(64)}`;
  const layer = (c: string) => d(c);

  it("an image built on B reads stale after the tag moves back to A, even though A's layers start B's", () => {
    const a = { digest: d("a"), since: new Date("2026-11-03T00:00:00Z"), platforms: [{ platform: "linux/arm64", digest: d("1"), diffIds: [layer("5")] }] };
    const b = { digest: d("b"), since: new Date("2026-11-02T00:00:00Z"), platforms: [{ platform: "linux/arm64", digest: d("2"), diffIds: [layer("5"), layer("6")] }] };
    const base: BaseState = { reference: "gcr.io/distroless/base:nonroot", planImage: null, history: [a, b], checkedAt: new Date(), error: null };
    const built: BuiltImage = { buildId: 1, platforms: [{ platform: "linux/arm64/v8", digest: d("9"), diffIds: [layer("5"), layer("6"), layer("7")] }], materials: null };
    const use = { reference: base.reference, written: base.reference, line: 2, final: true };
    expect(judgeFreshness(use, base, built)).toMatchObject({ state: "stale", evidence: "layers", builtFrom: d("b") });
    // Built on A itself: current.
    expect(judgeFreshness(use, base, { ...built, platforms: [{ platform: "linux/arm64", digest: d("9"), diffIds: [layer("5"), layer("7")] }] })).toMatchObject({ state: "up-to-date" });
    // The last check failed: "current" is not claimed.
    expect(judgeFreshness(use, { ...base, error: "unauthorized" }, { ...built, platforms: [{ platform: "linux/arm64", digest: d("9"), diffIds: [layer("5"), layer("7")] }] })).toMatchObject({
      state: "unknown",
      detail: expect.stringContaining("but the last check failed (unauthorized)"),
    });
  });

  it("a provenance material for another tag of the repository says nothing", () => {
    const base: BaseState = { reference: "docker.io/library/python:3.12", planImage: null, history: [{ digest: d("1"), since: new Date(), platforms: [{ platform: "linux/arm64", digest: d("2"), diffIds: [] }] }], checkedAt: new Date(), error: null };
    const built: BuiltImage = { buildId: 1, platforms: [], materials: [{ uri: "pkg:docker/python@3.12-slim", reference: "docker.io/library/python:3.12-slim", digest: d("3"), platform: null }] };
    expect(judgeFreshness({ reference: base.reference, written: "python:3.12", line: 1, final: false }, base, built)).toMatchObject({ state: "unknown", evidence: null });
  });
});

describe("signatures and statements hang off this image", () => {
  const d = (c: string) => `sha256:${c.repeat(64)}`;
  const key = cosignTestKey();
  const payload = (digest: string) => Buffer.from(JSON.stringify({ critical: { identity: { "docker-reference": "x" }, image: { "docker-manifest-digest": digest }, type: "cosign container image signature" }, optional: null }));
  const sig = (signedDigest: string, named = signedDigest) => {
    const body = payload(named);
    return { signedDigest, via: "referrers" as const, digest: d("f"), format: "simple-signing" as const, payload: body, signature: key.sign(body) };
  };

  it("verifies a signature of a platform manifest, and refuses one that hangs off another image", () => {
    expect(judgeSignatures([sig(d("2"))], [d("1"), d("2")], key.publicKey)).toMatchObject({ state: "verified" });
    expect(judgeSignatures([sig(d("7"))], [d("1"), d("2")], key.publicKey)).toMatchObject({ state: "invalid", detail: expect.stringContaining("not this image") });
    expect(judgeSignatures([sig(d("1"), d("2"))], [d("1"), d("2")], key.publicKey)).toMatchObject({ state: "invalid", detail: expect.stringContaining(`names ${d("2")}`) });
  });

  it("counts a statement only for the platform it names, and an attestation without a subject for no platform of several", () => {
    const platforms = [{ platform: "linux/arm64", digest: d("1") }, { platform: "linux/amd64", digest: d("2") }];
    const sbom = (subject?: string) => ({ digest: d("e"), predicateType: PREDICATES.spdx, json: JSON.parse(spdx([{ name: "x", license: "MIT" }]).body.toString().replace('"subject":[]', subject ? `"subject":[{"name":"x","digest":{"sha256":"${subject.slice(7)}"}}]` : '"subject":[]')) });
    const read = (attestations: ArtifactsRead["attestations"]): ArtifactsRead => ({ reference: "r", digest: d("0"), platforms, attestations, signatures: [], referrers: "unsupported", problems: [] });
    const wrong = summarise(read([{ digest: d("c"), subject: d("1"), form: "index-entry", via: "index", statements: [sbom(d("2"))] }]), null);
    expect(wrong.platforms.map((p) => p.sbom)).toEqual([null, null]);
    expect(wrong.problems).toEqual([expect.stringContaining(`is about ${d("2")}, not the platform`)]);
    const nameless = summarise(read([{ digest: d("c"), subject: null, form: "oci-artifact", via: "referrers", statements: [sbom()] }]), null);
    expect(nameless.platforms.map((p) => p.sbom)).toEqual([null, null]);
    expect(nameless.problems).toEqual([expect.stringContaining("names no subject, and the image has 2 platforms")]);
    const right = summarise(read([{ digest: d("c"), subject: d("1"), form: "index-entry", via: "index", statements: [sbom(d("1"))] }]), null);
    expect(right.platforms.map((p) => p.sbom?.packages ?? null)).toEqual([1, null]);
  });
});
