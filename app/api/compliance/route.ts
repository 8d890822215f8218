import { prisma } from "@/lib/db/client";
import { apiRoute } from "@/lib/api/route";
import { imageCompliance, planCompliance } from "@/lib/compliance/plan-compliance";
import { errorResponse } from "@/lib/http";
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";

export const dynamic = "force-dynamic";

/** GET: the plan's compliance (every image, with totals). GET ?image=NAME: one image's findings. */
export const GET = apiRoute({ access: "read" }, async ({ request }) => {
  const name = new URL(request.url).searchParams.get("image");
  if (name === null) return Response.json(await planCompliance(prisma));
  if (!IMAGE_NAME_PATTERN.test(name)) return errorResponse(400, `invalid image name ${JSON.stringify(name.slice(0, 130))}`);
  const compliance = await imageCompliance(prisma, name);
  return compliance ? Response.json(compliance) : errorResponse(404, `unknown image "${name}"`);
});
