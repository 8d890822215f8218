import { prisma } from "@/lib/db/client";
import { apiRoute } from "@/lib/api/route";
import { healthOverview } from "@/lib/health/queries";

export const dynamic = "force-dynamic";

/** `{ enabled, target, images }`: every image's health state, last probe and 24 h uptime. */
export const GET = apiRoute({ access: "read" }, async () => Response.json(await healthOverview(prisma)));
