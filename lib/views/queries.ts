import { prisma } from "@/lib/db/client";
import { getPlanOverview } from "@/lib/views/overview";
import { getImageDetail } from "@/lib/builds/history";
import { getBuildRecord } from "@/lib/builds/record";
import { imageCompliance, planCompliance } from "@/lib/compliance/plan-compliance";
import { healthOverview, imageHealth } from "@/lib/health/queries";
import { statusPage } from "@/lib/health/status-page";

// Reads for pages and API routes, bound to the app's database client.
export const loadPlanOverview = () => getPlanOverview(prisma);

export const loadLatestPlanImport = () => prisma.planImport.findFirst({ orderBy: { id: "desc" } });

export const loadBuild = (id: number) => getBuildRecord(prisma, id);

export const loadImageDetail = (name: string, page: number) => getImageDetail(prisma, name, page);

export const loadPlanCompliance = () => planCompliance(prisma);

export const loadImageCompliance = (name: string) => imageCompliance(prisma, name);

export const loadHealthOverview = () => healthOverview(prisma);

export const loadImageHealth = (name: string) => imageHealth(prisma, name);

export const loadStatusPage = () => statusPage(prisma);
