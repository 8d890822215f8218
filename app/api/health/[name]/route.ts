import { prisma } from "@/lib/db/client";
import { imageHealth } from "@/lib/health/queries";
import { errorResponse, IMAGE_NAME_PATTERN, withJsonErrors } from "@/lib/http";
import { authorizeRead } from "@/lib/auth/request";

export const dynamic = "force-dynamic";

/** One image's health: state, target, 24 h latency, uptime 24 h and 7 d, heartbeats, incidents. */
async function get(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const authorized = await authorizeRead(request);
  if (!authorized.ok) return authorized.response;
  const { name } = await params;
  if (!IMAGE_NAME_PATTERN.test(name)) return errorResponse(400, `"${name.slice(0, 80)}" is not a valid image name`);
  const detail = await imageHealth(prisma, name);
  if (!detail) return errorResponse(404, `unknown image "${name}"`);
  return Response.json(detail);
}

export const GET = withJsonErrors(get);
