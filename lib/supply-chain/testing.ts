// In-toto statements and cosign keys shaped like the ones BuildKit and cosign write, for tests and the bench.
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { TestStatement } from "@/lib/registry/testing";
import { PREDICATES } from "@/lib/supply-chain/in-toto";

const STATEMENT_V01 = "https://in-toto.io/Statement/v0.1";

/** A statement about `subject` (a platform manifest's digest), or about nothing in particular when not given. */
export function statement(predicateType: string, predicate: unknown, subject?: string): TestStatement {
  const subjects = subject ? [{ name: "pkg:docker/x", digest: { sha256: subject.replace(/^sha256:/, "") } }] : [];
  return { predicateType, body: Buffer.from(JSON.stringify({ _type: STATEMENT_V01, predicateType, subject: subjects, predicate })) };
}

export type TestBase = { uri: string; sha256: string };

/** SLSA v0.2 provenance as BuildKit writes it (mode=max), with a `pkg:docker` material per base. */
export function provenanceV02(bases: TestBase[], extra: { revision?: string; dockerfile?: [string, string] } = {}): TestStatement {
  const [folder, file] = extra.dockerfile ?? ["RDP", "Dockerfile.monitor"];
  return statement(PREDICATES.slsa02, {
    builder: { id: "" },
    buildType: "https://mobyproject.org/buildkit@v1",
    materials: bases.map((b) => ({ uri: b.uri, digest: { sha256: b.sha256 } })),
    invocation: { configSource: { entryPoint: file }, parameters: { frontend: "dockerfile.v0" }, environment: { platform: "linux/arm64" } },
    metadata: {
      buildStartedOn: "2026-11-30T10:00:00Z",
      buildFinishedOn: "2026-11-30T10:04:30Z",
      completeness: { parameters: true, environment: true, materials: false },
      "https://mobyproject.org/buildkit@v1#metadata": {
        vcs: { revision: extra.revision ?? "4f2a9c1e0b7d", source: "https://github.com/HamiGames/Lucid.git", "localdir:context": ".", "localdir:dockerfile": folder },
      },
    },
  });
}

/** SLSA v1 provenance as newer BuildKit writes it. */
export function provenanceV1(bases: TestBase[], revision = "9b1c0d2e3f4a"): TestStatement {
  return statement(PREDICATES.slsa1, {
    buildDefinition: {
      buildType: "https://github.com/moby/buildkit/blob/master/docs/attestations/slsa-definitions.md",
      externalParameters: { configSource: { path: "Dockerfile.api" }, request: { frontend: "dockerfile.v0" } },
      resolvedDependencies: bases.map((b) => ({ uri: b.uri, digest: { sha256: b.sha256 } })),
    },
    runDetails: {
      builder: { id: "https://github.com/HamiGames/Lucid/actions/runs/1" },
      metadata: { invocationID: "x", startedOn: "2026-11-29T08:00:00Z", finishedOn: "2026-11-29T08:02:00Z", buildkit_metadata: { vcs: { revision, source: "https://github.com/HamiGames/Lucid.git", "localdir:dockerfile": "sessions" } } },
    },
  });
}

export type TestPackage = { name: string; version?: string; license: string };

/** An SPDX 2.3 document as BuildKit's syft scanner writes it. */
export function spdx(packages: TestPackage[]): TestStatement {
  return statement(PREDICATES.spdx, {
    spdxVersion: "SPDX-2.3",
    dataLicense: "CC0-1.0",
    SPDXID: "SPDXRef-DOCUMENT",
    name: "sbom",
    packages: packages.map((p, i) => ({ SPDXID: `SPDXRef-Package-${i}`, name: p.name, versionInfo: p.version ?? "1.0", licenseConcluded: "NOASSERTION", licenseDeclared: p.license })),
  });
}

export type TestKey = { publicKey: KeyObject; publicPem: string; sign(payload: Buffer): string };

/** An ECDSA P-256 key pair as `cosign generate-key-pair` makes (PEM public key; signatures DER in base64). */
export function cosignTestKey(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  return {
    publicKey,
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    sign: (payload) => sign("sha256", payload, privateKey).toString("base64"),
  };
}
