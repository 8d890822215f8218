import { revalidatePath } from "next/cache";
import { IngestError, ingestBuild, parseIdempotencyKey } from "@/lib/builds/ingest";
import { prisma } from "@/lib/db/client";
import { authorizeWrite } from "@/lib/auth/request";
import { errorResponse, withJsonErrors } from "@/lib/http";

export const dynamic = "force-dynamic";

// Route modules may only export what Next.js knows (handlers, dynamic, ...), so these stay private.
const MAX_BODY_BYTES = 256 * 1024;
const REQUIRED_SCOPE = "builds:write";

const tooLarge = () => errorResponse(413, "request body is larger than 256 KiB");

/**
 * The body's bytes, or null when there are more than `limit`. Content-Length is only a shortcut for an
 * honest client: the bytes are counted as they arrive, so a missing or false header cannot get more in.
 */
async function readBodyWithin(request: Request, limit: number): Promise<Buffer | null> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return null;
  if (request.body === null) return Buffer.alloc(0);

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

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

/** Records a finished build reported by an outside builder (see "Reporting builds from outside" in README.md). */
async function post(request: Request): Promise<Response> {
  // A token with builds:write (outside builders), or an operator signed in.
  const authorized = await authorizeWrite(request, { role: "operator", scope: REQUIRED_SCOPE });
  if (!authorized.ok) return authorized.response;

  const body = await readBodyWithin(request, MAX_BODY_BYTES);
  if (body === null) return tooLarge();
  const parsed = parseJson(body);
  if (!parsed.ok) return errorResponse(400, parsed.message);

  try {
    const key = parseIdempotencyKey(request.headers.get("idempotency-key"));
    const { replayed, ...build } = await ingestBuild(prisma, parsed.value, authorized.caller.actor, new Date(), key === null ? undefined : { key, body });
    if (!replayed) refreshOverview();
    const url = `/builds/${build.id}`;
    const headers: Record<string, string> = { Location: url };
    if (replayed) headers["Idempotent-Replayed"] = "true";
    return Response.json({ ...build, url }, { status: 201, headers });
  } catch (error) {
    if (error instanceof IngestError) return errorResponse(error.status, error.message);
    console.error("POST /api/builds failed:", error);
    return errorResponse(500, "internal error: the build was not recorded");
  }
}

export const POST = withJsonErrors(post);
