// Reads a pushed build's supply chain from its registry and keeps it with the build. A read that fails
// keeps the earlier summary and records why, so the page says "could not be read" rather than "unsigned".
import type { KeyObject } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { readArtifacts } from "@/lib/registry/artifacts";
import { RegistryError } from "@/lib/registry/client";
import { credentialsFor, type RegistryAccess } from "@/lib/registry/credentials";
import { pinnedReference } from "@/lib/registry/reference";
import { cosignPublicKey, CosignKeyError } from "@/lib/supply-chain/signature";
import { summarise, type SupplyChainSummary } from "@/lib/supply-chain/summary";
import type { Env } from "@/lib/env";

export type SupplyChainSettings = { access: RegistryAccess; key: KeyObject | null; fetch?: typeof fetch; timeoutMs?: number };

export type ReadOutcome = { ok: true; summary: SupplyChainSummary } | { ok: false; error: string };

/** The supply chain of `repository@digest` (the repository of the tag a build pushed). Never throws for registry trouble. */
export async function readSupplyChain(pushedTag: string, digest: string, settings: SupplyChainSettings): Promise<ReadOutcome> {
  let reference: string;
  try {
    reference = pinnedReference(pushedTag, digest);
  } catch (error) {
    return { ok: false, error: `${pushedTag} is not an image reference: ${(error as Error).message}` };
  }
  try {
    const read = await readArtifacts(reference, { ...credentialsFor(reference, settings.access), fetch: settings.fetch, timeoutMs: settings.timeoutMs });
    return { ok: true, summary: summarise(read, settings.key) };
  } catch (error) {
    if (error instanceof RegistryError) return { ok: false, error: error.message };
    throw error;
  }
}

/** Keeps a read with its build: the summary replaces the earlier one; a failed read keeps it and says why. */
export async function recordSupplyChain(prisma: PrismaClient, buildId: number, digest: string, outcome: ReadOutcome, at = new Date()): Promise<void> {
  const fields = outcome.ok ? { digest, readAt: at, error: null, summary: outcome.summary } : { digest, readAt: at, error: outcome.error };
  await prisma.supplyChain.upsert({
    where: { buildId },
    create: { buildId, ...fields, summary: outcome.ok ? outcome.summary : undefined },
    update: fields,
  });
}

/** Reads and records the supply chain of a build that was just pushed; says in one line what was found. Never throws for registry or key trouble. */
export async function readPushedBuildSupplyChain(prisma: PrismaClient, buildId: number, pushedTag: string, digest: string, access: RegistryAccess, env: Env = process.env): Promise<string> {
  let outcome: ReadOutcome;
  try {
    outcome = await readSupplyChain(pushedTag, digest, { access, key: cosignPublicKey(env) });
  } catch (error) {
    if (!(error instanceof CosignKeyError)) throw error;
    outcome = { ok: false, error: error.message };
  }
  await recordSupplyChain(prisma, buildId, digest, outcome);
  return outcome.ok ? describe(outcome.summary) : `could not be read: ${outcome.error}`;
}

function describe(summary: SupplyChainSummary): string {
  const attested = summary.platforms.map((p) => `${p.platform}: ${[p.sbom ? "SBOM" : "no SBOM", p.provenance ? "provenance" : "no provenance"].join(", ")}`);
  return `${attested.join("; ")}; signature: ${summary.signature.state}${summary.problems.length > 0 ? `; ${summary.problems.length} problem(s), first: ${summary.problems[0]}` : ""}`;
}
