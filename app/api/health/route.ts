import { prisma } from "@/lib/db/client";
import { healthOverview } from "@/lib/health/queries";
import { withRead } from "@/lib/auth/request";
import { withJsonErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

/** `{ enabled, target, images }`: every image's health state, last probe and 24 h uptime. */
async function get(request: Request) {
  return withRead(request, async () => Response.json(await healthOverview(prisma)));
}

export const GET = withJsonErrors(get);
