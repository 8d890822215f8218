// What every request passes through before Next.js sees it, installed at server start (instrumentation.ts):
// 1. its client address is pinned to the connection's (lib/security/client-address.ts);
// 2. a signed-in GET of a cached page (lib/server/page-cache.ts) is answered from the cache when the database
//    has not changed since it was rendered for that user; otherwise Next.js renders it and the result is kept.
// `next start` creates the HTTP server itself, so this wraps the "request" event of Node's HTTP servers rather
// than replacing the server (a custom server would also give up `next start`'s own handling of the process).
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { lookUpSession } from "@/lib/auth/session-lookup";
import { databaseVersion } from "@/lib/db/changes";
import { pinClientAddress, trustedProxies, type Env } from "@/lib/security/client-address";
import { createNonce } from "@/lib/security/csp";
import { acceptsGzip, cacheablePath, PageCache, pageKey, storablePage, withNonce } from "@/lib/server/page-cache";

const gzipAsync = promisify(gzip);

type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
const slot = globalThis as unknown as { lucidFrontDoor?: boolean };

function requestHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  return headers;
}

/** Calls `done` with what Next.js wrote to `response` (status, headers, body as sent) once it has finished. */
function capture(response: ServerResponse, done: (rendered: { status: number; headers: ReturnType<ServerResponse["getHeaders"]>; body: Buffer }) => void): void {
  const chunks: Buffer[] = [];
  const keep = (chunk: unknown, encoding: unknown) => {
    if (typeof chunk === "string") chunks.push(Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  const write = response.write.bind(response) as (...args: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse["write"];
  response.end = ((chunk?: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== "function") keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse["end"];
  response.once("finish", () => done({ status: response.statusCode, headers: response.getHeaders(), body: Buffer.concat(chunks) }));
}

export class FrontDoor {
  readonly pages = new PageCache();

  /**
   * Answers `request` from the cache and returns true, or returns false for Next.js to render it (having arranged
   * for the rendered page to be stored when it may be).
   */
  async answer(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
    const { session, setCookies } = await lookUpSession(requestHeaders(request));
    if (!session || setCookies.length > 0) return false;
    const version = databaseVersion();
    const key = pageKey(request.headers.host, path, session.user);
    const page = this.pages.fresh(key, version, Date.now());
    if (!page) {
      capture(response, (rendered) => {
        const storable = storablePage(rendered, version, Date.now());
        if (storable) this.pages.store(key, storable);
      });
      return false;
    }
    const { headers, body } = withNonce(page, createNonce());
    // Compressed before any header is set, so a failure here leaves the response untouched for Next.js.
    const gzipped = acceptsGzip(request.headers["accept-encoding"]) ? await gzipAsync(body) : null;
    for (const [name, value] of headers) response.setHeader(name, value);
    const vary = String(response.getHeader("vary") ?? "");
    if (!/accept-encoding/i.test(vary)) response.setHeader("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
    if (gzipped) response.setHeader("content-encoding", "gzip");
    const payload = gzipped ?? Buffer.from(body, "utf8");
    response.setHeader("content-length", payload.length);
    response.setHeader("x-lucid-page-cache", "hit");
    response.statusCode = 200;
    response.end(payload);
    return true;
  }
}

/**
 * Wraps `emit` of Node's HTTP and HTTPS servers so every "request" event goes through the front door first.
 * Once per process; the servers Next.js has already created are covered too (they share the prototype).
 */
export async function installFrontDoor(env: Env = process.env): Promise<void> {
  if (slot.lucidFrontDoor) return;
  slot.lucidFrontDoor = true;
  const trusted = new Set(trustedProxies(env));
  const door = new FrontDoor();
  const [http, https] = await Promise.all([import("node:http"), import("node:https")]);
  for (const proto of new Set([http.Server.prototype, https.Server.prototype])) {
    const original = proto.emit as Emit;
    proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
      if (event !== "request") return original.call(this, event, ...args);
      const [request, response] = args as [IncomingMessage, ServerResponse];
      pinClientAddress(request, trusted);
      const path = cacheablePath(request);
      if (path === null) return original.call(this, event, ...args);
      const render = () => original.call(this, event, ...args);
      door.answer(request, response, path).then(
        (answered) => {
          if (!answered) render();
        },
        (error: unknown) => {
          // The cache is only a shortcut: whatever failed here, Next.js renders the page as it would without it.
          console.error(`page cache: ${error instanceof Error ? error.message : String(error)}`);
          if (!response.headersSent) render();
        },
      );
      return true;
    } as typeof proto.emit;
  }
}
