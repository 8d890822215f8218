import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyleftLicense, dockerPurl, interpretStatement, StatementError } from "@/lib/supply-chain/in-toto";
import { baseUses, judgeFreshness, type BaseState, type BuiltImage } from "@/lib/supply-chain/freshness";
import { cosignPublicKey, CosignKeyError } from "@/lib/supply-chain/signature";
import { cosignTestKey } from "@/lib/supply-chain/testing";

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
    expect(copyleftLicense("(MIT OR AGPL-3.0-or-later)")).toBe("AGPL-3.0-or-later");
    expect(copyleftLicense("LGPL-2.1-or-later AND GPL-2.0+")).toBe("GPL-2.0+");
    expect(copyleftLicense("LGPL-3.0-only")).toBeNull();
    expect(copyleftLicense("NOASSERTION")).toBeNull();
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
    const stage = (from: string, extra: Partial<{ image: boolean; final: boolean; unresolved: string[] }> = {}) => ({ index: 0, alias: null, from, line: 1, image: true, final: false, unresolved: [], ...extra });
    const { uses, skipped } = baseUses({
      finalBase: "x",
      user: { value: null, source: "unknown", line: null },
      exposed: [],
      stages: [stage("python:3.12", {}), stage("scratch"), stage(`alpine@sha256:${"a".repeat(64)}`), stage("${REG}/x", { unresolved: ["REG"] }), stage("build", { image: false }), stage("gcr.io/distroless/base", { final: true })],
    });
    expect(uses.map((u) => [u.reference, u.final])).toEqual([["docker.io/library/python:3.12", false], ["gcr.io/distroless/base:latest", true]]);
    expect(skipped).toEqual([expect.stringContaining("pinned by digest"), expect.stringContaining("needs REG, which has no value")]);
  });
});
