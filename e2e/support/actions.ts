import type { APIRequestContext, APIResponse, Page } from "@playwright/test";

/** A server action request as the browser sent it, to replay with another user's cookies. `body` holds its bytes as latin1. */
export type CapturedAction = { path: string; headers: Record<string, string>; body: string };

const KEPT_HEADERS = ["next-action", "content-type", "accept", "next-router-state-tree"];

/** Runs `submit` (a click that calls a server action) and returns the request it made, once answered. */
export async function captureAction(page: Page, submit: () => Promise<unknown>): Promise<CapturedAction> {
  const requested = page.waitForRequest((r) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
  await submit();
  const request = await requested;
  await request.response();
  const headers = request.headers();
  return {
    path: new URL(request.url()).pathname,
    headers: Object.fromEntries(KEPT_HEADERS.filter((k) => headers[k] !== undefined).map((k) => [k, headers[k]!])),
    body: request.postDataBuffer()?.toString("latin1") ?? "",
  };
}

/** The same request with one multipart form field set to another (ASCII) value (React prefixes fields with `_1_`). */
export function withField(action: CapturedAction, field: string, value: string): CapturedAction {
  const pattern = new RegExp(`(name="(?:_\\d+_)?${field.replace(/[$:]/g, "\\$&")}"\\r\\n\\r\\n)[\\s\\S]*?(\\r\\n--)`);
  if (!pattern.test(action.body)) throw new Error(`the captured request has no field ${field}`);
  return { ...action, body: action.body.replace(pattern, (_m, head: string, tail: string) => `${head}${value}${tail}`) };
}

/** Sends a captured server action request from `api` (a browser context's request, with that user's cookies). */
export function replay(api: APIRequestContext, action: CapturedAction, origin: string): Promise<APIResponse> {
  return api.post(action.path, { headers: { ...action.headers, origin }, data: Buffer.from(action.body, "latin1"), maxRedirects: 0 });
}
