import { prisma } from "@/lib/db/client";
import { imageCompliance, planCompliance } from "@/lib/compliance/plan-compliance";
import { errorResponse, IMAGE_NAME_PATTERN, withJsonErrors } from "@/lib/http";
import { authorizeRead } from "@/lib/auth/request";

export const dynamic = "force-dynamic";

/** GET: the plan's compliance (every image, with totals). GET ?image=NAME: one image's findings. */
async function get(request: Request) {
  const authorized = await authorizeRead(request);
  if (!authorized.ok) return authorized.response;
  const name = new URL(request.url).searchParams.get("image");
  if (name === null) return Response.json(await planCompliance(prisma));
  if (!IMAGE_NAME_PATTERN.test(name)) return errorResponse(400, `invalid image name ${JSON.stringify(name.slice(0, 130))}`);
  const compliance = await imageCompliance(prisma, name);
  if (!compliance) return errorResponse(404, `unknown image "${name}"`);
  return Response.json(compliance);
}

export const GET = withJsonErrors(get);
