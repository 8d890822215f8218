import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blackboxProbe, blackboxProbeUrl, EXPORTER_GRACE_MS, MAX_EXPORTER_ANSWER_BYTES, probeFor, readProbeAnswer } from "@/lib/health/blackbox";
import { judgingRule } from "@/lib/health/judge";
import { probe as directProbe, type ProbeOptions } from "@/lib/health/probe";
import { parsePromText } from "@/lib/health/prom-text";
import { blackboxLabel, proberSettings } from "@/lib/health/settings";
import { closedPort, hangAfterHeaders, startServer, type TestServer } from "@/lib/health/testing/servers";

// Every request here goes to a stand-in exporter on 127.0.0.1; the targets it is asked about are never contacted.
// The real exporter is tested in blackbox-exporter.test.ts.
const OPTIONS: ProbeOptions = { timeoutMs: 400, maxBodyBytes: 64 * 1024 };
const TARGET = { url: "http://127.0.0.1:1/health?x=1&y=2" };
const CONTEXT = { exporter: "http://127.0.0.1:9115", module: "http_2xx", latencyMs: 42 };

const answer = (lines: string[]) => parsePromText(lines.join("\n"));

describe("proberSettings", () => {
  it("is direct by default, and for direct whatever the blackbox settings say", () => {
    expect(proberSettings({})).toEqual({ kind: "direct" });
    expect(proberSettings({ LUCID_HEALTH_PROBER: " " })).toEqual({ kind: "direct" });
    expect(proberSettings({ LUCID_HEALTH_PROBER: "direct", LUCID_BLACKBOX_URL: "not a url" })).toEqual({ kind: "direct" });
  });

  it("reads the exporter's URL and module, with http_2xx by default", () => {
    expect(proberSettings({ LUCID_HEALTH_PROBER: "blackbox", LUCID_BLACKBOX_URL: "http://127.0.0.1:9115" })).toEqual({ kind: "blackbox", url: "http://127.0.0.1:9115", module: "http_2xx" });
    expect(proberSettings({ LUCID_HEALTH_PROBER: "Blackbox", LUCID_BLACKBOX_URL: " https://probes.example.test/blackbox/ ", LUCID_BLACKBOX_MODULE: "http_healthy" })).toEqual({
      kind: "blackbox",
      url: "https://probes.example.test/blackbox",
      module: "http_healthy",
    });
  });

  it("says which setting is missing or malformed", () => {
    const blackbox = (env: Record<string, string>) => () => proberSettings({ LUCID_HEALTH_PROBER: "blackbox", ...env });
    expect(() => proberSettings({ LUCID_HEALTH_PROBER: "blackbox-exporter" })).toThrow('LUCID_HEALTH_PROBER must be "direct" or "blackbox"; got "blackbox-exporter"');
    expect(blackbox({})).toThrow("LUCID_BLACKBOX_URL must be set when LUCID_HEALTH_PROBER=blackbox: the exporter's address, e.g. http://127.0.0.1:9115");
    expect(blackbox({ LUCID_BLACKBOX_URL: "127.0.0.1:9115" })).toThrow('LUCID_BLACKBOX_URL must be an http:// or https:// URL, e.g. http://127.0.0.1:9115; got "127.0.0.1:9115"');
    expect(blackbox({ LUCID_BLACKBOX_URL: "localhost:9115" })).toThrow(/LUCID_BLACKBOX_URL must be an http:\/\/ or https:\/\/ URL/);
    expect(blackbox({ LUCID_BLACKBOX_URL: "ftp://127.0.0.1:9115" })).toThrow(/LUCID_BLACKBOX_URL must be an http/);
    expect(blackbox({ LUCID_BLACKBOX_URL: "http://127.0.0.1:9115/probe?module=x" })).toThrow(/LUCID_BLACKBOX_URL must not have a query/);
    expect(blackbox({ LUCID_BLACKBOX_URL: "http://127.0.0.1:9115", LUCID_BLACKBOX_MODULE: "http 2xx" })).toThrow(
      `LUCID_BLACKBOX_MODULE must be a module name from the exporter's blackbox.yml (letters, digits, _ . : -); got "http 2xx"`,
    );
    // Both at once are both told.
    expect(blackbox({ LUCID_BLACKBOX_URL: "nope", LUCID_BLACKBOX_MODULE: "a&b" })).toThrow(/LUCID_BLACKBOX_URL.*; LUCID_BLACKBOX_MODULE/);
  });

  it("never repeats a password it was given", () => {
    let message = "";
    try {
      proberSettings({ LUCID_HEALTH_PROBER: "blackbox", LUCID_BLACKBOX_URL: "ftp://user:s3cret@127.0.0.1:9115" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/LUCID_BLACKBOX_URL/);
    expect(message).not.toContain("s3cret");
    expect(blackboxLabel("http://user:s3cret@127.0.0.1:9115/bb")).toBe("http://127.0.0.1:9115/bb");
  });

  it("picks the probe the poller uses", () => {
    expect(probeFor({ kind: "direct" })).toBe(directProbe);
    expect(probeFor({ kind: "blackbox", url: "http://127.0.0.1:9115", module: "http_2xx" })).not.toBe(directProbe);
  });
});

describe("blackboxProbeUrl", () => {
  it("puts the target and the module in the query, encoded", () => {
    const url = blackboxProbeUrl({ url: "http://127.0.0.1:9115", module: "http_2xx" }, TARGET.url);
    expect(url.pathname).toBe("/probe");
    expect(url.searchParams.get("target")).toBe(TARGET.url);
    expect(url.searchParams.get("module")).toBe("http_2xx");
    expect(url.href).toBe("http://127.0.0.1:9115/probe?target=http%3A%2F%2F127.0.0.1%3A1%2Fhealth%3Fx%3D1%26y%3D2&module=http_2xx");
  });

  it("keeps the exporter's route prefix", () => {
    expect(blackboxProbeUrl({ url: "http://127.0.0.1:9115/blackbox/", module: "m" }, "http://a/").pathname).toBe("/blackbox/probe");
  });
});

describe("readProbeAnswer", () => {
  it("is up when the exporter says probe_success 1, with its status and duration", () => {
    expect(readProbeAnswer(answer(["probe_duration_seconds 0.0123456", "probe_http_status_code 200", "probe_success 1"]), CONTEXT)).toEqual({
      outcome: "up",
      httpStatus: 200,
      latencyMs: 12,
      error: null,
    });
    expect(readProbeAnswer(answer(["probe_duration_seconds 1.2345e+00", "probe_http_status_code 204", "probe_success 1"]), CONTEXT).latencyMs).toBe(1235);
  });

  it("is down when the exporter reports failure, naming the status it saw", () => {
    expect(readProbeAnswer(answer(["probe_duration_seconds 0.004", "probe_http_status_code 503", "probe_success 0"]), CONTEXT)).toEqual({
      outcome: "down",
      httpStatus: 503,
      latencyMs: 4,
      error: "the blackbox exporter reported failure (module http_2xx): HTTP 503",
    });
  });

  it("has no HTTP status when the exporter got no answer (status 0)", () => {
    expect(readProbeAnswer(answer(["probe_duration_seconds 4.5", "probe_http_status_code 0", "probe_success 0"]), CONTEXT)).toEqual({
      outcome: "down",
      httpStatus: null,
      latencyMs: 4500,
      error: "the blackbox exporter reported failure (module http_2xx): no HTTP answer (the connection failed or timed out)",
    });
  });

  it("says when the module's body check failed", () => {
    const result = readProbeAnswer(answer(["probe_failed_due_to_regex 1", "probe_http_status_code 200", "probe_success 0"]), CONTEXT);
    expect(result).toMatchObject({ outcome: "down", httpStatus: 200 });
    expect(result.error).toBe("the blackbox exporter reported failure (module http_2xx): HTTP 200; the body did not match the module's regular expressions");
  });

  it("says a 2xx the exporter failed for another reason was failed by its module", () => {
    expect(readProbeAnswer(answer(["probe_http_status_code 200", "probe_success 0"]), CONTEXT).error).toBe(
      "the blackbox exporter reported failure (module http_2xx): HTTP 200, yet the probe failed (e.g. the body did not end in time; the exporter's log says why)",
    );
  });

  it("falls back to the round trip when the duration is missing or not a number", () => {
    expect(readProbeAnswer(answer(["probe_success 1"]), CONTEXT)).toEqual({ outcome: "up", httpStatus: null, latencyMs: 42, error: null });
    expect(readProbeAnswer(answer(["probe_duration_seconds NaN", "probe_success 1"]), CONTEXT).latencyMs).toBe(42);
    expect(readProbeAnswer(answer(["probe_duration_seconds -1", "probe_success 1"]), CONTEXT).latencyMs).toBe(42);
  });

  it("is never up without a probe_success of 1: a missing or odd one means the service was not checked", () => {
    for (const lines of [[], ["probe_http_status_code 200"], ['probe_success{instance="x"} 1'], ["probe_success NaN"], ["probe_success 0.5"], ["probe_success +Inf"]]) {
      const result = readProbeAnswer(answer(lines), CONTEXT);
      expect(result.outcome, lines.join(",")).toBe("not_checked");
      expect(result.httpStatus).toBeNull();
      expect(result.error).toMatch(/^the answer of the blackbox exporter at http:\/\/127\.0\.0\.1:9115 has /);
    }
    expect(readProbeAnswer(answer([]), CONTEXT).error).toBe("the answer of the blackbox exporter at http://127.0.0.1:9115 has no probe_success");
  });
});

describe("judgingRule", () => {
  it("says the exporter's module judges, and that an expectation is not applied", () => {
    const blackbox = { kind: "blackbox", url: "http://127.0.0.1:9115", module: "http_2xx" } as const;
    expect(judgingRule(null, blackbox)).toBe(`the blackbox exporter's module "http_2xx" (its status codes and body checks); the dashboard does not read the body`);
    expect(judgingRule({ field: "status", value: "healthy" }, blackbox)).toMatch(/the expectation "status" = "healthy" is not applied$/);
    expect(judgingRule(null)).toBe(judgingRule(null, { kind: "direct" }));
  });
});

describe("blackboxProbe against a stand-in exporter", () => {
  let exporter: TestServer;
  let seen: { url: string; headers: http.IncomingHttpHeaders } | null = null;
  let reply: (res: http.ServerResponse) => void = () => {};

  beforeAll(async () => {
    exporter = await startServer((req, res) => {
      seen = { url: req.url ?? "", headers: req.headers };
      reply(res);
    });
  });
  afterAll(() => exporter?.close());

  const settings = () => ({ kind: "blackbox" as const, url: `http://user:s3cret@127.0.0.1:${exporter.port}`, module: "http_2xx" });
  const text = (status: number, body: string) => (res: http.ServerResponse) => {
    res.writeHead(status, { "content-type": "text/plain; version=0.0.4" });
    res.end(body);
  };

  it("asks /probe with the target, the module, the timeout and the credentials, and maps the answer", async () => {
    reply = text(200, "# HELP probe_success x\nprobe_duration_seconds 0.25\nprobe_http_status_code 200\nprobe_success 1\n");
    const result = await blackboxProbe(settings())(TARGET, OPTIONS);
    expect(result).toEqual({ outcome: "up", httpStatus: 200, latencyMs: 250, error: null });
    const asked = new URL(seen!.url, "http://x");
    expect(asked.pathname).toBe("/probe");
    expect(Object.fromEntries(asked.searchParams)).toEqual({ target: TARGET.url, module: "http_2xx" });
    expect(seen!.headers["x-prometheus-scrape-timeout-seconds"]).toBe("0.4");
    expect(seen!.headers.authorization).toBe(`Basic ${Buffer.from("user:s3cret").toString("base64")}`);
  });

  it("is not checked, naming the exporter, when it answers other than 200, and never shows its password", async () => {
    reply = text(400, 'Unknown module "http_2xx"\n');
    const result = await blackboxProbe(settings())(TARGET, OPTIONS);
    expect(result).toMatchObject({ outcome: "not_checked", httpStatus: null });
    expect(result.error).toBe(`the blackbox exporter at http://127.0.0.1:${exporter.port} answered HTTP 400: Unknown module "http_2xx"`);
  });

  it("is not checked when the answer has no probe_success (e.g. a proxy's page)", async () => {
    reply = text(200, "<html>hello</html>");
    expect((await blackboxProbe(settings())(TARGET, OPTIONS)).error).toMatch(/^the answer of the blackbox exporter at .* has no probe_success$/);
  });

  it("reads at most 1 MiB of the answer", async () => {
    reply = (res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const line = Buffer.from("probe_success 1\n".padStart(1024, "#"));
      let sent = 0;
      const pump = () => {
        while (sent < 4 * MAX_EXPORTER_ANSWER_BYTES) {
          sent += line.length;
          if (!res.write(line)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => res.destroy());
      pump();
    };
    const result = await blackboxProbe(settings())(TARGET, OPTIONS);
    expect(result).toMatchObject({ outcome: "not_checked", httpStatus: null });
    expect(result.error).toMatch(/answered more than 1 MiB$/);
  });

  it("is not checked, naming the exporter, when it does not answer within the timeout", async () => {
    reply = hangAfterHeaders;
    const started = performance.now();
    const result = await blackboxProbe(settings())(TARGET, OPTIONS);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(OPTIONS.timeoutMs + EXPORTER_GRACE_MS - 20);
    expect(elapsed).toBeLessThan(OPTIONS.timeoutMs + EXPORTER_GRACE_MS + 300);
    expect(result).toMatchObject({ outcome: "not_checked", httpStatus: null });
    expect(result.error).toBe(`the blackbox exporter at http://127.0.0.1:${exporter.port} did not answer within 1400 ms`);
  });

  it("is not checked, naming the exporter, when nothing listens there", async () => {
    const port = await closedPort();
    const result = await blackboxProbe({ kind: "blackbox", url: `http://127.0.0.1:${port}`, module: "http_2xx" })(TARGET, OPTIONS);
    expect(result).toMatchObject({ outcome: "not_checked", httpStatus: null });
    expect(result.error).toBe(`the blackbox exporter at http://127.0.0.1:${port} cannot be reached: connection refused`);
  });
});
