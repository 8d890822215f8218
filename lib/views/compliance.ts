// Compliance for the plan's images, a read model across the domains: the Dockerfile from the checkout
// (LUCID_REPO_ROOT, cached by file identity), the latest pushed build's image config from the database, the
// Compose files, and the supply chain (attestations, signature, bases).
import { CheckoutPathError, checkoutRoot } from "@/lib/checkout/checkout";
import { optionsWithDefaults, planWithDefaults } from "@/lib/compliance/analyse";
import { analyseCheckoutDockerfile } from "@/lib/compliance/checkout-dockerfile";
import { analyseImageEvidence, type PushedEvidence } from "@/lib/compliance/image";
import { pushedConfig } from "@/lib/registry/config";
import { complianceStatus } from "@/lib/compliance/status";
import { analyseComposeEvidence, type ComposeEvidence } from "@/lib/compliance/compose";
import { analyseSupplyChainEvidence, type SupplyChainEvidence } from "@/lib/supply-chain/rules";
import { planSupplyChain, type PlanSupplyChain } from "@/lib/supply-chain/plan";
import { analyseScanEvidence, type ScanEvidence } from "@/lib/vulnerabilities/rule";
import { latestScans, type ScanSummary } from "@/lib/views/vulnerabilities";
import { readDeclaredDeployment, type DeploymentRead } from "@/lib/deploy/load";
import { complianceTotals } from "@/lib/compliance/totals";
import type { ComplianceOptions, CompliancePlan, ImageCompliance, PlanCompliance } from "@/lib/compliance/types";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { jsonStrings } from "@/lib/db/json";
import type { Env } from "@/lib/env";

/** An image of the plan, as compliance needs it. */
export type ComplianceImage = Partial<CompliancePlan> & { name: string; dockerfile: string };

export type AnalyseImageOptions = {
  /** The latest pushed build's per-platform config; null or absent when there is none. */
  evidence?: PushedEvidence | null;
  /** The Compose service that runs the image, or why there is none; absent: the compose rules are not run. */
  compose?: ComposeEvidence;
  /** Attestations, signature and base freshness of the latest push; absent: the supply-chain rules are not run. */
  supplyChain?: SupplyChainEvidence;
  /** The latest push's vulnerability scan; absent: the scan rule is not run. */
  scan?: ScanEvidence;
  /** Where LUCID_REPO_ROOT is read from (process.env by default). */
  env?: Env;
  options?: Partial<ComplianceOptions>;
};

/** One image's findings: its Dockerfile in the checkout and its pushed image, against the plan. */
export async function analyseImage(image: ComplianceImage, opts: AnalyseImageOptions = {}): Promise<ImageCompliance> {
  const plan = planWithDefaults(image);
  const options = optionsWithDefaults(opts.options);
  const dockerfile = await analyseCheckoutDockerfile(image.dockerfile, plan, options, opts.env ?? process.env);
  const findings = [
    ...dockerfile.findings,
    ...analyseImageEvidence(opts.evidence ?? null, plan),
    ...(opts.supplyChain ? analyseSupplyChainEvidence(opts.supplyChain) : []),
    ...(opts.scan ? [analyseScanEvidence(opts.scan)] : []),
    ...(opts.compose ? analyseComposeEvidence(opts.compose, plan) : []),
  ];
  return { name: image.name, status: complianceStatus(findings, dockerfile.parseError), findings, dockerfile: image.dockerfile, parseError: dockerfile.parseError, exposed: dockerfile.exposed };
}

// ---------------------------------------------------------------------------
// From the database

const IMAGE_FIELDS = { id: true, name: true, dockerfile: true, port: true, expectedUser: true, platforms: true } as const;

type ImageRow = { id: number; name: string; dockerfile: string; port: number | null; expectedUser: string; platforms: Parameters<typeof jsonStrings>[0] };

export type PlanComplianceOptions = Omit<AnalyseImageOptions, "evidence" | "compose" | "supplyChain" | "scan"> & {
  /** The plan's supply chain when the caller has it already (computed once per database change); read here otherwise. */
  supplyChain?: PlanSupplyChain;
};

/** Every image of the plan, in plan order, with plan totals. */
export async function planCompliance(prisma: PrismaClient, opts: PlanComplianceOptions = {}): Promise<PlanCompliance> {
  const rows = await prisma.image.findMany({ select: IMAGE_FIELDS, orderBy: [{ phase: { number: "asc" } }, { step: "asc" }] });
  const env = opts.env ?? process.env;
  const [evidence, deployment, supplyChain] = await Promise.all([latestPushedEvidence(prisma, rows.map((r) => r.id)), readDeclaredDeployment(prisma, env), opts.supplyChain ?? planSupplyChain(prisma, env)]);
  const scans = await scansOf(prisma, supplyChain);
  const images = await Promise.all(
    rows.map((row) =>
      analyseImage(toComplianceImage(row), {
        ...opts,
        evidence: evidence.get(row.id) ?? null,
        compose: composeEvidenceOf(deployment, row.name),
        supplyChain: supplyChainEvidenceOf(supplyChain, row.name),
        scan: scanEvidenceOf(supplyChain, scans, row.name),
      }),
    ),
  );
  return { images, totals: complianceTotals(images), note: checkoutNote(opts.env ?? process.env) };
}

/** One image's compliance, or null when the plan has no image of that name. */
export async function imageCompliance(prisma: PrismaClient, name: string, opts: PlanComplianceOptions = {}): Promise<ImageCompliance | null> {
  const row = await prisma.image.findUnique({ where: { name }, select: IMAGE_FIELDS });
  if (!row) return null;
  const env = opts.env ?? process.env;
  const [evidence, deployment, supplyChain] = await Promise.all([latestPushedEvidence(prisma, [row.id]), readDeclaredDeployment(prisma, env), opts.supplyChain ?? planSupplyChain(prisma, env)]);
  const scans = await scansOf(prisma, supplyChain, row.name);
  return analyseImage(toComplianceImage(row), {
    ...opts,
    evidence: evidence.get(row.id) ?? null,
    compose: composeEvidenceOf(deployment, row.name),
    supplyChain: supplyChainEvidenceOf(supplyChain, row.name),
    scan: scanEvidenceOf(supplyChain, scans, row.name),
  });
}

/** The service that runs `image` in the declared deployment (the first, when several do), or why none is judged. */
function composeEvidenceOf(deployment: DeploymentRead, image: string): ComposeEvidence {
  if (!deployment.configured) return { service: null, reason: `not checked: ${deployment.reason}` };
  const { declared } = deployment;
  if (!declared.ok) return { service: null, reason: `not checked: the Compose files cannot be read (${declared.problems.length} problem${declared.problems.length === 1 ? "" : "s"}, first: ${declared.problems[0]?.message ?? "unknown"})` };
  const service = declared.services.find((s) => s.image === image);
  return service ? { service: service.service } : { service: null, reason: "no service in the Compose files runs this image" };
}

function supplyChainEvidenceOf(plan: PlanSupplyChain, image: string): SupplyChainEvidence {
  const entry = plan.images.find((i) => i.image === image);
  return {
    buildId: entry?.build?.id ?? null,
    read: entry?.supplyChain ?? null,
    freshness: entry?.freshness ?? [],
    dockerfileProblem: entry?.dockerfileProblem ?? null,
    notRead: entry?.notRead ?? null,
  };
}

/** The latest scan of each image's latest push (the one the supply chain judges too). */
function scansOf(prisma: PrismaClient, plan: PlanSupplyChain, only?: string): Promise<Map<number, ScanSummary>> {
  return latestScans(prisma, plan.images.filter((i) => !only || i.image === only).flatMap((i) => (i.build ? [i.build.id] : [])));
}

function scanEvidenceOf(plan: PlanSupplyChain, scans: Map<number, ScanSummary>, image: string): ScanEvidence {
  const build = plan.images.find((i) => i.image === image)?.build?.id ?? null;
  return { buildId: build, scan: build === null ? null : (scans.get(build) ?? null) };
}

function toComplianceImage(row: ImageRow): ComplianceImage {
  return { name: row.name, dockerfile: row.dockerfile, port: row.port, expectedUser: row.expectedUser, platforms: jsonStrings(row.platforms) };
}

function checkoutNote(env: Env): string | null {
  try {
    checkoutRoot(env);
    return null;
  } catch (error) {
    if (error instanceof CheckoutPathError) return `Dockerfiles were not checked: ${error.message}`;
    throw error;
  }
}

/** The latest build that pushed each image (any status) and its per-platform config: two statements for any number of images. */
async function latestPushedEvidence(prisma: PrismaClient, imageIds: number[]): Promise<Map<number, PushedEvidence>> {
  const wanted = new Set(imageIds);
  const rows = await prisma.$queryRaw<{ imageId: number | bigint; buildId: number | bigint | null }[]>`
    SELECT i."id" AS "imageId",
      (SELECT b."id" FROM "Build" b WHERE b."imageId" = i."id" AND b."pushed" ORDER BY b."id" DESC LIMIT 1) AS "buildId"
    FROM "Image" i`;
  const latest = rows.filter((r) => r.buildId !== null && wanted.has(Number(r.imageId))).map((r) => ({ imageId: Number(r.imageId), buildId: Number(r.buildId) }));
  const platforms = await prisma.buildPlatform.findMany({
    where: { buildId: { in: latest.map((l) => l.buildId) } },
    select: { buildId: true, platform: true, config: true },
    orderBy: { platform: "asc" },
  });
  return new Map(
    latest.map(({ imageId, buildId }) => [
      imageId,
      { buildId, platforms: platforms.filter((p) => p.buildId === buildId).map((p) => ({ platform: p.platform, config: pushedConfig(p.config) })) },
    ]),
  );
}
