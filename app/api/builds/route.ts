import { revalidatePath } from "next/cache";
import { apiRoute } from "@/lib/api/route";
import { REPORT_SCOPE } from "@/lib/auth/roles";
import { ingestBuild, parseIdempotencyKey } from "@/lib/builds/ingest";
import { prisma } from "@/lib/db/client";
import { errorResponse } from "@/lib/http";

export const dynamic = "force-dynamic";

// Route modules may only export what Next.js knows (handlers, dynamic, ...), so these stay private.
const MAX_BODY_BYTES = 256 * 1024;

function parseJson(bytes: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, message: "malformed JSON: the body is not valid UTF-8" };
  }
  if (text.trim() === "") return { ok: false, message: "malformed JSON: the body is empty" };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `malformed JSON: ${(error as Error).message}` };
  }
}

/** Pages are rendered per request anyway; outside a Next.js request (tests, scripts) this throws, harmlessly. */
function refreshOverview(): void {
  try {
    revalidatePath("/");
  } catch {
    // no request context: nothing is cached to refresh
  }
}

/**
 * Records a finished build reported by an outside builder (see "Reporting builds from outside" in README.md): a
 * token with builds:write, or an operator signed in.
 */
export const POST = apiRoute({ access: { role: "operator", scope: REPORT_SCOPE }, maxBodyBytes: MAX_BODY_BYTES }, async ({ request, caller, body }) => {
  const parsed = parseJson(body!);
  if (!parsed.ok) return errorResponse(400, parsed.message);
  const key = parseIdempotencyKey(request.headers.get("idempotency-key"));
  const { replayed, ...build } = await ingestBuild(prisma, parsed.value, caller.actor, new Date(), key === null ? undefined : { key, body: body! });
  if (!replayed) refreshOverview();
  const url = `/builds/${build.id}`;
  const headers: Record<string, string> = { Location: url };
  if (replayed) headers["Idempotent-Replayed"] = "true";
  return Response.json({ ...build, url }, { status: 201, headers });
});
