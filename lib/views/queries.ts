import { prisma } from "@/lib/db/client";
import { untilChange } from "@/lib/db/changes";
import { getPlanOverview } from "@/lib/views/overview";
import { getImageDetail } from "@/lib/builds/history";
import { getBuildRecord } from "@/lib/builds/record";
import { imageCompliance, planCompliance } from "@/lib/views/compliance";
import { summarizeCompliance } from "@/lib/compliance/status";
import { healthOverview, imageHealth } from "@/lib/health/queries";
import { statusPage } from "@/lib/health/status-page";
import { readDeclaredDeployment } from "@/lib/deploy/load";
import { deploymentView, imageDeployment } from "@/lib/views/deployment";
import { runningView } from "@/lib/views/running";
import { getComposeSettings } from "@/lib/deploy/settings";
import { getBurnUp } from "@/lib/views/burn-up";
import { basesView, imageSupplyChainView } from "@/lib/views/bases";
import { planSupplyChain } from "@/lib/supply-chain/plan";
import { imageVulnerabilities } from "@/lib/views/vulnerabilities";
import { baseCheckIntervalMinutes } from "@/lib/supply-chain/scheduler";

// Reads for pages and API routes, bound to the app's database client. What every open overview and status page
// asks for every few seconds is computed once per database change (lib/db/changes.ts) and shared.

/**
 * For read models that also depend on what the database does not record: Dockerfiles in the checkout, and uptime
 * over a window that moves with the clock. A Dockerfile edited in the checkout shows within this long.
 */
const OUTSIDE_FACTS_MS = 5_000;

export const loadPlanOverview = untilChange(() => getPlanOverview(prisma));

/** The burn-up and its projection, which moves with the clock (the pace is read over the last 14 days). */
export const loadBurnUp = untilChange(
  async () => {
    const plan = await loadPlanOverview();
    return getBurnUp(prisma, plan.runningReportedAt ? plan.totals.deployed : null);
  },
  { maxAgeMs: OUTSIDE_FACTS_MS },
);

export const loadLatestPlanImport = untilChange(() => prisma.planImport.findFirst({ orderBy: { id: "desc" } }));

export const loadBuild = (id: number) => getBuildRecord(prisma, id);

export const loadImageDetail = (name: string, page: number) => getImageDetail(prisma, name, page);

export const loadPlanComplianceSummary = untilChange(async () => summarizeCompliance(await planCompliance(prisma, { supplyChain: await loadPlanSupplyChain() })), { maxAgeMs: OUTSIDE_FACTS_MS });

export const loadImageCompliance = async (name: string) => imageCompliance(prisma, name, { supplyChain: await loadPlanSupplyChain() });

export const loadHealthOverview = untilChange(() => healthOverview(prisma), { maxAgeMs: OUTSIDE_FACTS_MS });

export const loadImageHealth = (name: string) => imageHealth(prisma, name);

export const loadStatusPage = untilChange(() => statusPage(prisma), { maxAgeMs: OUTSIDE_FACTS_MS });

export const loadDeclaredDeployment = () => readDeclaredDeployment(prisma);

export const loadComposeSettings = () => getComposeSettings(prisma);

export const loadDeploymentView = async () => {
  const [declared, running] = await Promise.all([readDeclaredDeployment(prisma), runningView(prisma)]);
  return { ...deploymentView(declared), running };
};

export const loadRunning = () => runningView(prisma);

export const loadImageDeployment = (name: string, dockerfileExposed: string[] | null) => imageDeployment(prisma, name, dockerfileExposed);

/** The plan's bases and supply chain: Dockerfiles come from the checkout, so a change there shows within OUTSIDE_FACTS_MS. */
export const loadPlanSupplyChain = untilChange(() => planSupplyChain(prisma), { maxAgeMs: OUTSIDE_FACTS_MS });

export const loadBasesView = async () => basesView(await loadPlanSupplyChain(), baseCheckIntervalMinutes());

export const loadImageSupplyChain = async (name: string) => imageSupplyChainView(await loadPlanSupplyChain(), name);

export const loadImageVulnerabilities = (name: string) => imageVulnerabilities(prisma, name);
