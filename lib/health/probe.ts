// One health probe: GET the URL within a deadline, read at most a capped body, judge it.
import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { judgeResponse, type HealthExpectation, type HealthResponse, type Judgement } from "@/lib/health/judge";
import type { ProbeOutcome } from "@/lib/db/vocabulary";


export type ProbeTarget = { url: string; expect?: HealthExpectation | null };
export type ProbeOptions = { timeoutMs: number; maxBodyBytes: number };
export type ProbeResult = { outcome: ProbeOutcome; httpStatus: number | null; latencyMs: number; error: string | null };
export type Probe = (target: ProbeTarget, options: ProbeOptions) => Promise<ProbeResult>;

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const USER_AGENT = "lucid-dashboard-health/1";

type RawResponse = HealthResponse & { location: string | null };

/**
 * The timeout covers everything (connect, redirects, headers, the body): a service that answers slower
 * than the deadline is `timeout` however far it got. Latency runs to the end of reading the final body.
 * Redirects are followed only on the same scheme, host and port, at most MAX_REDIRECTS times.
 */
export async function probe(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  let url = new URL(target.url);
  let httpStatus: number | null = null;
  const finish = (judgement: Judgement): ProbeResult => ({ ...judgement, httpStatus, latencyMs: elapsed() });
  try {
    for (let followed = 0; ; followed++) {
      const response = await getOnce(url, deadline.signal, options.maxBodyBytes, (status) => (httpStatus = status));
      if (!isRedirect(response)) return finish(judgeResponse(response, target.expect));
      const next = sameOriginRedirect(url, response.location);
      if (!next) return finish({ outcome: "down", error: `redirect to ${response.location.slice(0, 200)} not followed: only redirects on the same host and port are` });
      if (followed === MAX_REDIRECTS) return finish({ outcome: "down", error: `too many redirects (more than ${MAX_REDIRECTS})` });
      url = next;
    }
  } catch (error) {
    return finish(deadline.signal.aborted ? { outcome: "timeout", error: `no complete answer within ${options.timeoutMs} ms` } : classifyError(error, url.hostname));
  } finally {
    clearTimeout(timer);
  }
}

function isRedirect(response: RawResponse): response is RawResponse & { location: string } {
  return REDIRECT_STATUSES.includes(response.status) && response.location !== null;
}

function sameOriginRedirect(from: URL, location: string): URL | null {
  try {
    const next = new URL(location, from);
    return next.origin === from.origin ? next : null;
  } catch {
    return null;
  }
}

/** One GET; resolves once the body has ended or reached the cap (redirect bodies are not read). */
function getOnce(url: URL, signal: AbortSignal, maxBodyBytes: number, onStatus: (status: number) => void): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(
      url,
      // A fresh connection per probe: pooled sockets to a service polled every 30 s would mostly be stale.
      { method: "GET", agent: false, signal, lookup: specialUseLookup, headers: { accept: "application/json, */*;q=0.5", "user-agent": USER_AGENT } },
      (response) => {
        const status = response.statusCode ?? 0;
        onStatus(status);
        const head = { status, statusText: response.statusMessage ?? "", location: headerValue(response.headers.location) };
        if (REDIRECT_STATUSES.includes(status) && head.location !== null) {
          response.destroy();
          resolve({ ...head, body: Buffer.alloc(0), truncated: false });
          return;
        }
        readCapped(response, maxBodyBytes).then((body) => resolve({ ...head, ...body }), reject);
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/** Reads up to `cap` bytes, then drops the connection rather than download the rest. */
export function readCapped(response: http.IncomingMessage, cap: number): Promise<{ body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: { body: Buffer; truncated: boolean } | Error) => {
      if (settled) return;
      settled = true;
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    response.on("data", (chunk: Buffer) => {
      const room = cap - size;
      if (chunk.length > room) {
        chunks.push(chunk.subarray(0, room));
        size = cap;
        settle({ body: Buffer.concat(chunks, size), truncated: true });
        response.destroy();
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    response.on("end", () => settle({ body: Buffer.concat(chunks, size), truncated: false }));
    response.on("error", (error) => settle(error));
    response.on("close", () => settle(new Error("the connection closed before the body ended")));
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/** RFC 6761: names under `.invalid` never resolve, so they fail here without asking a DNS server. */
const specialUseLookup: LookupFunction = (hostname, options, callback) => {
  if (/(^|\.)invalid\.?$/i.test(hostname)) {
    const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", syscall: "getaddrinfo" });
    process.nextTick(() => callback(error, "", 0));
    return;
  }
  dnsLookup(hostname, options, callback);
};

function errorCode(error: unknown): string | undefined {
  if (error instanceof AggregateError) return errorCode(error.errors[0]) ?? (error as NodeJS.ErrnoException).code;
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

function classifyError(error: unknown, host: string): Judgement {
  switch (errorCode(error)) {
    case "ECONNREFUSED":
      return { outcome: "refused", error: "connection refused" };
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return { outcome: "dns", error: `cannot resolve ${host}` };
    case "ETIMEDOUT":
      return { outcome: "timeout", error: "the connection timed out" };
    default: {
      const message = error instanceof Error ? error.message || error.name : String(error);
      return { outcome: "error", error: message.slice(0, 300) };
    }
  }
}
