import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_REDIRECTS, probe, type ProbeOptions } from "@/lib/health/probe";
import { closedPort, hangAfterHeaders, json, startServer, type TestServer } from "@/lib/health/testing/servers";

// Every request here goes to servers on 127.0.0.1; the one DNS case uses a `.invalid` name that fails
// before any resolver is asked.
const OPTIONS: ProbeOptions = { timeoutMs: 300, maxBodyBytes: 64 * 1024 };
const HEALTHY = { field: "status", value: "healthy" };
const TEN_MB = 10 * 1024 * 1024;

let server: TestServer;
let other: TestServer;
let largeBytesSent = 0;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  other = await startServer((_req, res) => json(res, 200, { status: "healthy" }));
  server = await startServer((req, res) => {
    switch (req.url) {
      case "/health":
        return json(res, 200, { status: "healthy", version: "1.2.3" });
      case "/plain":
        res.end("OK");
        return;
      case "/unavailable":
        return json(res, 503, { status: "starting" });
      case "/slow-body": {
        res.writeHead(200, { "content-type": "application/json" });
        res.write('{"status":');
        const timer = setTimeout(() => res.end('"healthy"}'), OPTIONS.timeoutMs * 3);
        timers.add(timer);
        return;
      }
      case "/hang":
        return hangAfterHeaders(res);
      case "/large": {
        res.writeHead(200, { "content-type": "application/json" });
        const chunk = Buffer.alloc(64 * 1024, "a");
        const pump = () => {
          while (largeBytesSent < TEN_MB) {
            largeBytesSent += chunk.length;
            if (!res.write(chunk)) return void res.once("drain", pump);
          }
          res.end();
        };
        return pump();
      }
      case "/invalid-json":
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"status": "healthy"');
        return;
      case "/unhealthy":
        return json(res, 200, { status: "unhealthy" });
      case "/no-status":
        return json(res, 200, { ok: true });
      case "/loop":
        res.writeHead(302, { location: "/loop" });
        res.end();
        return;
      case "/moved":
        res.writeHead(301, { location: "/health" });
        res.end();
        return;
      case "/elsewhere":
        res.writeHead(302, { location: other.url("/health") });
        res.end();
        return;
      default:
        res.writeHead(404).end();
    }
  });
});

afterAll(async () => {
  for (const timer of timers) clearTimeout(timer);
  await Promise.all([server.close(), other.close()]);
});

describe("probe: outcomes", () => {
  it("healthy JSON meeting the expectation is up, with status and latency", async () => {
    const result = await probe({ url: server.url("/health"), expect: HEALTHY }, OPTIONS);
    expect(result).toMatchObject({ outcome: "up", httpStatus: 200, error: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(OPTIONS.timeoutMs);
  });

  it("a 2xx without an expectation is up whatever the body", async () => {
    expect(await probe({ url: server.url("/plain") }, OPTIONS)).toMatchObject({ outcome: "up", httpStatus: 200 });
  });

  it("503 is down, with the status", async () => {
    expect(await probe({ url: server.url("/unavailable"), expect: HEALTHY }, OPTIONS)).toMatchObject({
      outcome: "down",
      httpStatus: 503,
      error: "HTTP 503 Service Unavailable",
    });
  });

  it("a body slower than the timeout is a timeout", async () => {
    const result = await probe({ url: server.url("/slow-body") }, OPTIONS);
    expect(result).toMatchObject({ outcome: "timeout", httpStatus: 200 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(OPTIONS.timeoutMs - 5);
    expect(result.latencyMs).toBeLessThan(OPTIONS.timeoutMs * 2);
  });

  it("a connection that hangs after the headers is a timeout", async () => {
    const result = await probe({ url: server.url("/hang") }, OPTIONS);
    expect(result.outcome).toBe("timeout");
    expect(result.error).toBe(`no complete answer within ${OPTIONS.timeoutMs} ms`);
    expect(result.latencyMs).toBeLessThan(OPTIONS.timeoutMs * 2);
  });

  it("a refused port is refused", async () => {
    const port = await closedPort();
    expect(await probe({ url: `http://127.0.0.1:${port}/health` }, OPTIONS)).toMatchObject({
      outcome: "refused",
      httpStatus: null,
      error: "connection refused",
    });
  });

  it("a 10 MB body is read only up to the cap: up without an expectation, bad_body with one", async () => {
    const plain = await probe({ url: server.url("/large") }, { ...OPTIONS, timeoutMs: 5000 });
    expect(plain).toMatchObject({ outcome: "up", httpStatus: 200, error: null });
    const sentForPlain = largeBytesSent;
    largeBytesSent = 0;
    const expecting = await probe({ url: server.url("/large"), expect: HEALTHY }, { ...OPTIONS, timeoutMs: 5000 });
    expect(expecting).toMatchObject({ outcome: "bad_body", httpStatus: 200, error: 'the body is larger than 64 KB: cannot check "status"' });
    // The server stops writing once the probe drops the connection (well short of 10 MB, kernel buffers aside).
    await new Promise((r) => setTimeout(r, 50));
    expect(Math.min(sentForPlain, largeBytesSent)).toBeLessThan(TEN_MB);
  });

  it("invalid JSON with an expectation is bad_body", async () => {
    expect(await probe({ url: server.url("/invalid-json"), expect: HEALTHY }, OPTIONS)).toMatchObject({
      outcome: "bad_body",
      httpStatus: 200,
      error: 'the body is not JSON: cannot check "status"',
    });
  });

  it("invalid JSON without an expectation is up", async () => {
    expect((await probe({ url: server.url("/invalid-json") }, OPTIONS)).outcome).toBe("up");
  });

  it('{"status":"unhealthy"} against status = healthy is down, naming the field', async () => {
    expect(await probe({ url: server.url("/unhealthy"), expect: HEALTHY }, OPTIONS)).toMatchObject({
      outcome: "down",
      httpStatus: 200,
      error: '"status" is "unhealthy", expected "healthy"',
    });
  });

  it("a JSON body without the expected field is bad_body", async () => {
    expect(await probe({ url: server.url("/no-status"), expect: HEALTHY }, OPTIONS)).toMatchObject({
      outcome: "bad_body",
      error: 'the body has no "status" field',
    });
  });

  it(`a redirect loop is followed ${MAX_REDIRECTS} times, then down`, async () => {
    const before = server.requests();
    expect(await probe({ url: server.url("/loop") }, OPTIONS)).toMatchObject({
      outcome: "down",
      httpStatus: 302,
      error: `too many redirects (more than ${MAX_REDIRECTS})`,
    });
    expect(server.requests() - before).toBe(MAX_REDIRECTS + 1);
  });

  it("a redirect on the same host and port is followed", async () => {
    expect(await probe({ url: server.url("/moved"), expect: HEALTHY }, OPTIONS)).toMatchObject({ outcome: "up", httpStatus: 200 });
  });

  it("a redirect to another host or port is not followed", async () => {
    const result = await probe({ url: server.url("/elsewhere") }, OPTIONS);
    expect(result).toMatchObject({ outcome: "down", httpStatus: 302 });
    expect(result.error).toMatch(/not followed/);
    expect(other.requests()).toBe(0);
  });

  it("a name under .invalid is a DNS failure, without asking a resolver", async () => {
    const result = await probe({ url: "http://nonexistent.invalid:8080/health" }, OPTIONS);
    expect(result).toMatchObject({ outcome: "dns", httpStatus: null, error: "cannot resolve nonexistent.invalid" });
    expect(result.latencyMs).toBeLessThan(50);
  });
});
