import { prisma } from "@/lib/db/client";
import { apiRoute } from "@/lib/api/route";
import { imageNameParam } from "@/lib/api/params";
import { imageHealth } from "@/lib/health/queries";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

/** One image's health: state, target, 24 h latency, uptime 24 h and 7 d, heartbeats, incidents. */
export const GET = apiRoute({ access: "read", params: { name: imageNameParam } }, async ({ params: { name } }) => {
  const detail = await imageHealth(prisma, name);
  return detail ? Response.json(detail) : errorResponse(404, `unknown image "${name}"`);
});
