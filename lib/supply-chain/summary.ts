// One pushed image's supply chain as the dashboard keeps it: per platform, what its SBOM and provenance say;
// its signature, judged; and every problem met while reading. Stored as JSON (SupplyChain.summary) and
// validated when read back, so a row written by an older version reads as "not read", never as a wrong answer.
import type { KeyObject } from "node:crypto";
import { z } from "zod";
import type { ArtifactsRead, AttestationManifestRead } from "@/lib/registry/artifacts";
import { interpretStatement, StatementError, type ProvenanceSummary, type SbomSummary } from "@/lib/supply-chain/in-toto";
import { judgeSignatures } from "@/lib/supply-chain/signature";

const nullableString = z.string().nullable();
const provenanceSchema = z.object({
  predicateType: z.string(),
  materials: z.array(z.object({ uri: z.string(), reference: nullableString, digest: nullableString, platform: nullableString })),
  revision: nullableString,
  source: nullableString,
  dockerfile: nullableString,
  startedOn: nullableString,
  finishedOn: nullableString,
  builder: nullableString,
});
const sbomSchema = z.object({
  packages: z.number(),
  copyleft: z.array(z.object({ name: z.string(), version: nullableString, license: z.string() })),
  copyleftCount: z.number(),
});
const platformSchema = z.object({
  platform: z.string(),
  digest: z.string(),
  sbom: sbomSchema.nullable(),
  provenance: provenanceSchema.nullable(),
  /** How the attestations were stored: buildx's index entries, OCI 1.1 artifacts, or both. */
  forms: z.array(z.enum(["index-entry", "oci-artifact"])),
});
const summarySchema = z.object({
  digest: z.string(),
  /** Whether the registry answered the referrers API: 404 everywhere is "unsupported", errors are "failed". */
  referrers: z.enum(["supported", "unsupported", "failed"]),
  platforms: z.array(platformSchema),
  signature: z.object({
    state: z.enum(["verified", "signed", "invalid", "unsigned"]),
    detail: z.string(),
    via: z.enum(["referrers", "tag"]).nullable(),
    identity: nullableString,
  }),
  /** Predicate types found but not interpreted (e.g. a vulnerability scan). */
  otherPredicates: z.array(z.string()),
  problems: z.array(z.string()),
});

export type PlatformAttestations = z.infer<typeof platformSchema>;
export type SupplyChainSummary = z.infer<typeof summarySchema>;

// The in-toto types are written out there for readers; this keeps them and the stored shape one.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameShapes: [Same<ProvenanceSummary, z.infer<typeof provenanceSchema>>, Same<SbomSummary, z.infer<typeof sbomSchema>>] = [true, true];
void sameShapes;

const MAX_PROBLEMS = 50;

/** What the registry read says, judged: statements interpreted per platform, the signature checked against `key`. */
export function summarise(read: ArtifactsRead, key: KeyObject | null): SupplyChainSummary {
  const problems = [...read.problems];
  const otherPredicates = new Set<string>();
  const platforms: PlatformAttestations[] = read.platforms.map((p) => ({ ...p, sbom: null, provenance: null, forms: [] }));
  for (const attestation of read.attestations) {
    const targets = platformsOf(attestation, platforms, read.digest);
    if (targets.length === 0) {
      problems.push(
        attestation.subject === null
          ? `the attestation manifest ${attestation.digest} names no subject, and the image has ${platforms.length} platforms: it is not counted for any`
          : `the attestation manifest ${attestation.digest} describes ${attestation.subject}, which is not a platform of this image`,
      );
      continue;
    }
    for (const statement of attestation.statements) {
      const named = statementSubjects(statement.json);
      const described = named.length === 0 ? targets : targets.filter((t) => named.includes(t.digest) || named.includes(read.digest));
      if (described.length === 0) {
        problems.push(`the statement ${statement.digest} is about ${named.join(", ")}, not the platform its attestation manifest names; not counted`);
        continue;
      }
      let interpreted;
      try {
        interpreted = interpretStatement(statement.json);
      } catch (error) {
        if (!(error instanceof StatementError)) throw error;
        problems.push(`the statement ${statement.digest}${statement.predicateType ? ` (${statement.predicateType})` : ""} is refused: ${error.message}`);
        continue;
      }
      for (const target of described) {
        if (!target.forms.includes(attestation.form)) target.forms.push(attestation.form);
        if (interpreted.kind === "sbom") target.sbom ??= interpreted.sbom;
        else if (interpreted.kind === "provenance") target.provenance ??= interpreted.provenance;
        else otherPredicates.add(interpreted.predicateType);
      }
    }
  }
  return {
    digest: read.digest,
    referrers: read.referrers,
    platforms,
    signature: judgeSignatures(read.signatures, [read.digest, ...read.platforms.map((p) => p.digest)], key),
    otherPredicates: [...otherPredicates],
    problems: problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more problems`] : problems,
  };
}

/** An attestation describes the platform manifest it names; one naming the index describes them all; one naming nothing only a lone platform. */
function platformsOf(attestation: AttestationManifestRead, platforms: PlatformAttestations[], indexDigest: string): PlatformAttestations[] {
  if (attestation.subject === null) return platforms.length === 1 ? platforms : [];
  if (attestation.subject === indexDigest) return platforms;
  return platforms.filter((p) => p.digest === attestation.subject);
}

/** The sha256 digests an in-toto statement says it is about (its `subject`); empty when it names none. */
function statementSubjects(json: unknown): string[] {
  if (typeof json !== "object" || json === null || !Array.isArray((json as { subject?: unknown }).subject)) return [];
  return ((json as { subject: unknown[] }).subject)
    .map((s) => (typeof s === "object" && s !== null ? (s as { digest?: { sha256?: unknown } }).digest?.sha256 : undefined))
    .filter((hex): hex is string => typeof hex === "string")
    .map((hex) => `sha256:${hex}`);
}

/** A stored summary read back; null when absent or not in the current shape. */
export function storedSummary(value: unknown): SupplyChainSummary | null {
  const parsed = summarySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
