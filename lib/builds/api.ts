// Shared by the build-triggering API routes: bearer check with the run scope, and error mapping.
import { prisma } from "@/lib/db/client";
import { authErrorResponse, errorResponse } from "@/lib/http";
import { BuildRequestError } from "@/lib/builds/queue";
import { authenticateBearer } from "@/lib/tokens/tokens";

/** Scope a token needs to start or cancel builds (reporting finished builds needs builds:write). */
export const RUN_SCOPE = "builds:run";

/** Runs `action` for an authenticated caller; BuildRequestErrors become JSON errors with their status. */
export async function withRunToken(request: Request, action: (startedBy: string) => Promise<Response>): Promise<Response> {
  const auth = await authenticateBearer(prisma, request.headers.get("authorization"), RUN_SCOPE);
  if (!auth.ok) return authErrorResponse(auth);
  try {
    return await action(`token ${auth.token.name}`);
  } catch (error) {
    if (error instanceof BuildRequestError) return errorResponse(error.status, error.message);
    throw error;
  }
}
