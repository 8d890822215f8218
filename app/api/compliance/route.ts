import { prisma } from "@/lib/db/client";
import { apiRoute } from "@/lib/api/route";
import { imageCompliance, planCompliance } from "@/lib/views/compliance";
import { errorResponse } from "@/lib/http";
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";
import { loadPlanComplianceSummary } from "@/lib/views/queries";

export const dynamic = "force-dynamic";

/**
 * GET: the plan's compliance (every image with its findings, and totals). GET ?view=summary: each image's status
 * and finding counts only, as the overview shows them. GET ?image=NAME: one image's findings.
 */
export const GET = apiRoute({ access: "read" }, async ({ request }) => {
  const params = new URL(request.url).searchParams;
  const view = params.get("view");
  if (view !== null && view !== "summary") return errorResponse(400, `unknown view ${JSON.stringify(view.slice(0, 40))}: the only one is "summary"`);
  const name = params.get("image");
  if (name === null) return Response.json(view === "summary" ? await loadPlanComplianceSummary() : await planCompliance(prisma));
  if (!IMAGE_NAME_PATTERN.test(name)) return errorResponse(400, `invalid image name ${JSON.stringify(name.slice(0, 130))}`);
  const compliance = await imageCompliance(prisma, name);
  return compliance ? Response.json(compliance) : errorResponse(404, `unknown image "${name}"`);
});
