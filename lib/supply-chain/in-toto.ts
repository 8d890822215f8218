// What an in-toto statement says, for the fields the dashboard shows: SLSA provenance (v0.2 and v1, as
// BuildKit writes them) and SPDX SBOMs. A statement that is not what its predicate type claims is a
// problem with a reason; the summary keeps what could be read.
import { z } from "zod";
import { parseReference, formatReference, InvalidReferenceError } from "@/lib/registry/reference";

export const PREDICATES = {
  spdx: "https://spdx.dev/Document",
  slsa02: "https://slsa.dev/provenance/v0.2",
  slsa1: "https://slsa.dev/provenance/v1",
} as const;

export type Material = {
  uri: string;
  /** For a `pkg:docker/…` material: the image reference, normalised (docker.io/library/alpine:3.20). */
  reference: string | null;
  /** sha256:… when the material names one. */
  digest: string | null;
  /** The platform qualifier of a `pkg:docker` material (linux/arm64). */
  platform: string | null;
};

export type ProvenanceSummary = {
  predicateType: string;
  materials: Material[];
  /** The source revision (BuildKit's vcs metadata: a git commit). */
  revision: string | null;
  /** The source repository URL. */
  source: string | null;
  /** The Dockerfile path as the builder was given it (the folder and file name, when both are recorded). */
  dockerfile: string | null;
  startedOn: string | null;
  finishedOn: string | null;
  builder: string | null;
};

export type CopyleftPackage = { name: string; version: string | null; license: string };

export type SbomSummary = {
  packages: number;
  /** Packages whose license names GPL or AGPL (not LGPL), at most MAX_LISTED. */
  copyleft: CopyleftPackage[];
  copyleftCount: number;
};

const MAX_MATERIALS = 200;
const MAX_LISTED = 50;

const digestSet = z.record(z.string(), z.string()).nullish();
const statement = z.object({ predicateType: z.string(), predicate: z.record(z.string(), z.unknown()) });
const vcs = z.object({ revision: z.string().optional(), source: z.string().optional(), "localdir:dockerfile": z.string().optional() }).partial().nullish();
const material = z.object({ uri: z.string(), digest: digestSet });
const provenance02 = z.object({
  builder: z.object({ id: z.string().nullish() }).nullish(),
  materials: z.array(material).nullish(),
  invocation: z.object({ configSource: z.object({ uri: z.string().nullish(), entryPoint: z.string().nullish() }).nullish() }).nullish(),
  metadata: z
    .object({ buildStartedOn: z.string().nullish(), buildFinishedOn: z.string().nullish(), "https://mobyproject.org/buildkit@v1#metadata": z.object({ vcs }).nullish() })
    .nullish(),
});
const provenance1 = z.object({
  buildDefinition: z.object({
    externalParameters: z.object({ configSource: z.object({ uri: z.string().nullish(), path: z.string().nullish() }).nullish() }).nullish(),
    resolvedDependencies: z.array(material).nullish(),
  }),
  runDetails: z
    .object({
      builder: z.object({ id: z.string().nullish() }).nullish(),
      metadata: z.object({ startedOn: z.string().nullish(), finishedOn: z.string().nullish(), buildkit_metadata: z.object({ vcs }).nullish() }).nullish(),
    })
    .nullish(),
});
const spdxPackage = z.object({
  name: z.string().nullish(),
  versionInfo: z.string().nullish(),
  licenseConcluded: z.string().nullish(),
  licenseDeclared: z.string().nullish(),
});
const spdxDocument = z.object({ spdxVersion: z.string(), packages: z.array(spdxPackage).nullish() });

export type Interpreted = { kind: "provenance"; provenance: ProvenanceSummary } | { kind: "sbom"; sbom: SbomSummary } | { kind: "other"; predicateType: string };

/** Reads one statement; throws StatementError with the reason when it is not what it says. */
export function interpretStatement(json: unknown): Interpreted {
  const parsed = statement.safeParse(json);
  if (!parsed.success) throw new StatementError(`not an in-toto statement (${issueOf(parsed.error)})`);
  const { predicateType, predicate } = parsed.data;
  if (predicateType === PREDICATES.slsa02) return { kind: "provenance", provenance: fromV02(predicate) };
  if (predicateType === PREDICATES.slsa1) return { kind: "provenance", provenance: fromV1(predicate) };
  if (predicateType === PREDICATES.spdx) return { kind: "sbom", sbom: fromSpdx(predicate) };
  return { kind: "other", predicateType };
}

export class StatementError extends Error {
  override name = "StatementError";
}

function fromV02(predicate: unknown): ProvenanceSummary {
  const p = parseOr(provenance02, predicate, "SLSA provenance v0.2");
  const meta = p.metadata?.["https://mobyproject.org/buildkit@v1#metadata"]?.vcs;
  return {
    predicateType: PREDICATES.slsa02,
    materials: materialsOf(p.materials ?? []),
    revision: meta?.revision ?? null,
    source: meta?.source ?? stripFragment(p.invocation?.configSource?.uri),
    dockerfile: dockerfilePath(meta?.["localdir:dockerfile"], p.invocation?.configSource?.entryPoint),
    startedOn: p.metadata?.buildStartedOn ?? null,
    finishedOn: p.metadata?.buildFinishedOn ?? null,
    builder: p.builder?.id || null,
  };
}

function fromV1(predicate: unknown): ProvenanceSummary {
  const p = parseOr(provenance1, predicate, "SLSA provenance v1");
  const meta = p.runDetails?.metadata?.buildkit_metadata?.vcs;
  const config = p.buildDefinition.externalParameters?.configSource;
  return {
    predicateType: PREDICATES.slsa1,
    materials: materialsOf(p.buildDefinition.resolvedDependencies ?? []),
    revision: meta?.revision ?? null,
    source: meta?.source ?? stripFragment(config?.uri),
    dockerfile: dockerfilePath(meta?.["localdir:dockerfile"], config?.path),
    startedOn: p.runDetails?.metadata?.startedOn ?? null,
    finishedOn: p.runDetails?.metadata?.finishedOn ?? null,
    builder: p.runDetails?.builder?.id || null,
  };
}

function fromSpdx(predicate: unknown): SbomSummary {
  const doc = parseOr(spdxDocument, predicate, "SPDX document");
  const packages = doc.packages ?? [];
  const copyleft: CopyleftPackage[] = [];
  let copyleftCount = 0;
  for (const pkg of packages) {
    const license = [pkg.licenseConcluded, pkg.licenseDeclared].find((l) => l && copyleftLicense(l));
    if (!license) continue;
    copyleftCount++;
    if (copyleft.length < MAX_LISTED) copyleft.push({ name: pkg.name ?? "(unnamed)", version: pkg.versionInfo ?? null, license: copyleftLicense(license)! });
  }
  return { packages: packages.length, copyleft, copyleftCount };
}

const GPL = /(?<![\w.-])(?:LicenseRef-[\w.-]*?)?A?GPL(?:v?-?\d[\w.+-]*)?(?![\w])/i;

/**
 * The GPL or AGPL license an SPDX expression obliges the image to (GPL-2.0-only, AGPL-3.0-or-later, GPL-2.0+, GPLv2,
 * LicenseRef-…GPL…); LGPL is not one. A choice (`GPL-2.0 OR MIT`) obliges only when every alternative is GPL; a
 * `WITH …exception` (GCC's runtime library exception) lifts it.
 */
export function copyleftLicense(expression: string): string | null {
  const alternatives = expression.replace(/[()]/g, " ").split(/\s+OR\s+/i);
  const found = alternatives.map((alternative) => {
    const terms = alternative.split(/\s+AND\s+/i).filter((term) => !/\bWITH\s+\S*exception/i.test(term));
    return terms.map((term) => GPL.exec(term.trim())?.[0] ?? null).find((m) => m !== null) ?? null;
  });
  return found.every((m) => m !== null) ? found[0]! : null;
}

function materialsOf(list: z.infer<typeof material>[]): Material[] {
  return list.slice(0, MAX_MATERIALS).map((m) => {
    const docker = dockerPurl(m.uri);
    const sha256 = m.digest?.sha256;
    return { uri: m.uri, reference: docker?.reference ?? null, platform: docker?.platform ?? null, digest: sha256 ? `sha256:${sha256}` : null };
  });
}

/**
 * `pkg:docker/gcr.io/distroless/python3-debian12@latest?platform=linux%2Farm64` → the reference and platform.
 * BuildKit writes Docker Hub images without docker.io/ (pkg:docker/alpine@3.20); a digest version is sha256%3A….
 */
export function dockerPurl(uri: string): { reference: string; platform: string | null } | null {
  const match = /^pkg:docker\/([^@?#]+)(?:@([^?#]+))?(?:\?([^#]*))?/.exec(uri);
  if (!match) return null;
  const [, name = "", version, query] = match;
  const platform = new URLSearchParams(query ?? "").get("platform");
  try {
    const path = decodeURIComponent(name);
    const v = version ? decodeURIComponent(version) : null;
    const written = v === null ? path : v.includes(":") ? `${path}@${v}` : `${path}:${v}`;
    return { reference: formatReference(parseReference(written)), platform };
  } catch (error) {
    if (error instanceof InvalidReferenceError || error instanceof URIError) return null;
    throw error;
  }
}

function dockerfilePath(folder: string | null | undefined, file: string | null | undefined): string | null {
  if (!file) return null;
  if (!folder || folder === "." || file.includes("/")) return file;
  return `${folder.replace(/\/+$/, "")}/${file}`;
}

function stripFragment(uri: string | null | undefined): string | null {
  return uri ? uri.replace(/#.*$/, "") : null;
}

function parseOr<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StatementError(`its predicate is not a ${what} (${issueOf(parsed.error)})`);
}

function issueOf(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue?.message ?? "invalid"}`;
}
