import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blackboxProbe } from "@/lib/health/blackbox";
import type { ProbeOptions } from "@/lib/health/probe";
import { closedPort, hangAfterHeaders, json, startServer, type TestServer } from "@/lib/health/testing/servers";

// Debian's prometheus-blackbox-exporter (installed by .ci/run), started here on 127.0.0.1 on a port of its own with
// its own config; the services it probes are loopback servers of this test, so nothing else is contacted.
const BINARY = "/usr/bin/prometheus-blackbox-exporter";
const hasExporter = existsSync(BINARY);
const SKIPPED = `SKIPPED: ${BINARY} is not installed (apt-get install prometheus-blackbox-exporter; .ci/run installs it)`;
if (!hasExporter) console.log(`blackbox exporter tests ${SKIPPED}`);

// The exporter takes its --timeout-offset (0.5 s) off the timeout it is told, so it gives up on /hang after 1 s.
const OPTIONS: ProbeOptions = { timeoutMs: 1500, maxBodyBytes: 64 * 1024 };

const CONFIG = `modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
  http_healthy_body:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      ip_protocol_fallback: false
      fail_if_body_not_matches_regexp:
        - '"status": *"healthy"'
`;

describe.skipIf(!hasExporter)(hasExporter ? "blackboxProbe through the real blackbox exporter" : `blackboxProbe through the real blackbox exporter: ${SKIPPED}`, () => {
  let work: string;
  let exporter: ChildProcess | null = null;
  let exporterUrl: string;
  let service: TestServer;
  let log = "";

  beforeAll(async () => {
    service = await startServer((req, res) => {
      if (req.url === "/health") return json(res, 200, { status: "healthy" });
      if (req.url === "/unhealthy-200") return json(res, 200, { status: "unhealthy" });
      if (req.url === "/unavailable") return json(res, 503, { status: "starting" });
      if (req.url === "/hang") return hangAfterHeaders(res);
      if (req.url === "/silent") return; // never answers, not even the headers
      json(res, 404, { error: "not found" });
    });
    work = mkdtempSync(path.join(tmpdir(), "lucid-blackbox-"));
    const config = path.join(work, "blackbox.yml");
    writeFileSync(config, CONFIG);
    const port = await closedPort();
    exporterUrl = `http://127.0.0.1:${port}`;
    exporter = spawn(BINARY, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"], { stdio: ["ignore", "ignore", "pipe"] });
    exporter.stderr!.on("data", (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
    await waitUntilReady(exporter, `${exporterUrl}/-/healthy`, () => log);
  });

  afterAll(async () => {
    if (exporter) await stop(exporter);
    await service?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const probeWith = (module: string, url = exporterUrl) => blackboxProbe({ kind: "blackbox", url, module });

  it("reports a healthy service up, with the status and the exporter's duration", async () => {
    const result = await probeWith("http_2xx")({ url: service.url("/health") }, OPTIONS);
    expect(result).toMatchObject({ outcome: "up", httpStatus: 200, error: null });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.latencyMs).toBeLessThan(1000);
  });

  it("reports a 503 down with the status the exporter saw", async () => {
    expect(await probeWith("http_2xx")({ url: service.url("/unavailable") }, OPTIONS)).toMatchObject({
      outcome: "down",
      httpStatus: 503,
      error: "the blackbox exporter reported failure (module http_2xx): HTTP 503",
    });
  });

  it("leaves the body to the module: http_2xx passes an unhealthy 200, a body regexp fails it", async () => {
    const target = { url: service.url("/unhealthy-200"), expect: { field: "status", value: "healthy" } };
    expect(await probeWith("http_2xx")(target, OPTIONS)).toMatchObject({ outcome: "up", httpStatus: 200 });
    expect(await probeWith("http_healthy_body")(target, OPTIONS)).toMatchObject({
      outcome: "down",
      httpStatus: 200,
      error: "the blackbox exporter reported failure (module http_healthy_body): HTTP 200; the body did not match the module's regular expressions",
    });
    expect(await probeWith("http_healthy_body")({ url: service.url("/health") }, OPTIONS)).toMatchObject({ outcome: "up", httpStatus: 200 });
  });

  it("reports a service that never answers down (the exporter timed out), before the dashboard's own deadline", async () => {
    const result = await probeWith("http_2xx")({ url: service.url("/silent") }, OPTIONS);
    expect(result).toMatchObject({ outcome: "down", httpStatus: null });
    expect(result.error).toBe("the blackbox exporter reported failure (module http_2xx): no HTTP answer (the connection failed or timed out)");
    expect(result.latencyMs).toBeGreaterThanOrEqual(900);
    expect(result.latencyMs).toBeLessThan(OPTIONS.timeoutMs);
  });

  it("reports a service whose body never ends down, with the status it sent", async () => {
    const result = await probeWith("http_2xx")({ url: service.url("/hang") }, OPTIONS);
    expect(result).toMatchObject({ outcome: "down", httpStatus: 200 });
    expect(result.error).toMatch(/^the blackbox exporter reported failure \(module http_2xx\): HTTP 200, yet the probe failed/);
  });

  it("reports a refused connection to the service as down, not as the exporter's fault", async () => {
    const result = await probeWith("http_2xx")({ url: `http://127.0.0.1:${await closedPort()}/health` }, OPTIONS);
    expect(result).toMatchObject({ outcome: "down", httpStatus: null });
  });

  it("is not checked, naming the exporter, for a module it does not have (HTTP 400)", async () => {
    const result = await probeWith("no_such_module")({ url: service.url("/health") }, OPTIONS);
    expect(result).toMatchObject({ outcome: "not_checked", httpStatus: null });
    expect(result.error).toBe(`the blackbox exporter at ${exporterUrl} answered HTTP 400: Unknown module "no_such_module"`);
  });

  it("is not checked, naming the exporter, once the exporter is down: never up, never down", async () => {
    await stop(exporter!);
    exporter = null;
    const result = await probeWith("http_2xx")({ url: service.url("/health") }, OPTIONS);
    expect(result).toMatchObject({ outcome: "not_checked", httpStatus: null });
    expect(result.error).toBe(`the blackbox exporter at ${exporterUrl} cannot be reached: connection refused`);
  });
});

async function waitUntilReady(child: ChildProcess, url: string, log: () => string): Promise<void> {
  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the blackbox exporter exited with ${child.exitCode}: ${log()}`);
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the blackbox exporter did not answer ${url} within 10 s: ${log()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
