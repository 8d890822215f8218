import { apiRoute } from "@/lib/api/route";
import { buildIdParam } from "@/lib/api/params";
import { REPORT_SCOPE } from "@/lib/auth/roles";
import { importScanReport } from "@/lib/commands/scans";
import { MAX_REPORT_BYTES } from "@/lib/vulnerabilities/report";

export const dynamic = "force-dynamic";

/**
 * Keeps a scanner's report (Trivy JSON, Grype JSON or SARIF 2.1.0, told from the content) with a pushed build: a
 * token with builds:write, or an operator signed in. The report must name the build's digest, or name none.
 */
export const POST = apiRoute({ access: { role: "operator", scope: REPORT_SCOPE }, params: { id: buildIdParam }, maxBodyBytes: MAX_REPORT_BYTES }, async ({ caller, params: { id }, body }) =>
  Response.json(await importScanReport(caller.actor, id, body!, "api"), { status: 201 }),
);
