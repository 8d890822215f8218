// Health probes sent through a Prometheus blackbox_exporter (LUCID_HEALTH_PROBER=blackbox) instead of by the
// dashboard itself: GET {exporter}/probe?target=<url>&module=<module>, then read probe_success,
// probe_http_status_code and probe_duration_seconds from its answer.
import http from "node:http";
import https from "node:https";
import { probe as directProbe, readCapped, type Probe, type ProbeResult } from "@/lib/health/probe";
import { parsePromText, unlabelledValue, type PromSample } from "@/lib/health/prom-text";
import { blackboxLabel, type ProberSettings } from "@/lib/health/settings";

export type BlackboxSettings = Extract<ProberSettings, { kind: "blackbox" }>;

/** The exporter's answer is read up to this much (a /probe answer is a few KB); a larger one is refused. */
export const MAX_EXPORTER_ANSWER_BYTES = 1024 * 1024;
const USER_AGENT = "lucid-dashboard-health/1 (blackbox)";

/** The probe the poller uses for these settings. */
export function probeFor(prober: ProberSettings): Probe {
  return prober.kind === "blackbox" ? blackboxProbe(prober) : directProbe;
}

/** `{exporter}/probe?target=…&module=…`; the exporter's own path (a --web.route-prefix) is kept. */
export function blackboxProbeUrl(settings: Pick<BlackboxSettings, "url" | "module">, targetUrl: string): URL {
  const url = new URL(`${settings.url.replace(/\/+$/, "")}/probe`);
  url.search = new URLSearchParams({ target: targetUrl, module: settings.module }).toString();
  return url;
}

/**
 * The exporter probes the target with its module, so the module, not the dashboard, judges the answer: its
 * status codes, and its body only if the module says so (`fail_if_body_not_matches_regexp`). The health body is
 * never seen here, so an admin's expectation (`target.expect`) and the body's status word are not applied.
 *
 * The exporter is told the probe timeout (`X-Prometheus-Scrape-Timeout-Seconds`, as Prometheus does); it gives its
 * probe that long minus its `--timeout-offset` (0.5 s by default), so a service that hangs is reported by the
 * exporter as a failure well before the dashboard stops waiting (EXPORTER_GRACE_MS after the timeout). An exporter
 * that cannot be reached, answers other than 200 or without probe_success has not checked the service: see
 * `notChecked`.
 */
/**
 * How much longer than the probe timeout the exporter is waited for. It answers a target that hangs just before the
 * timeout it was told; waiting only that long would let the round trip turn its "down" into "not checked".
 */
export const EXPORTER_GRACE_MS = 1_000;

export function blackboxProbe(settings: BlackboxSettings): Probe {
  const exporter = blackboxLabel(settings.url);
  return async (target, options) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const deadline = new AbortController();
    const waitMs = options.timeoutMs + EXPORTER_GRACE_MS;
    const timer = setTimeout(() => deadline.abort(), waitMs);
    try {
      const answer = await getProbe(blackboxProbeUrl(settings, target.url), options.timeoutMs, deadline.signal);
      if (answer.status !== 200) {
        const said = firstLine(answer.body);
        return notChecked(`the blackbox exporter at ${exporter} answered HTTP ${answer.status}${said ? `: ${said}` : ""}`, elapsed());
      }
      if (answer.truncated) return notChecked(`the blackbox exporter at ${exporter} answered more than ${MAX_EXPORTER_ANSWER_BYTES / 1024 / 1024} MiB`, elapsed());
      return readProbeAnswer(parsePromText(answer.body.toString("utf8")), { exporter, module: settings.module, latencyMs: elapsed() });
    } catch (error) {
      const why = deadline.signal.aborted ? `did not answer within ${waitMs} ms` : `cannot be reached: ${connectionError(error)}`;
      return notChecked(`the blackbox exporter at ${exporter} ${why}`, elapsed());
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * The exporter's verdict → a probe result. probe_success 1 is `up`; 0 is `down`, with the status the exporter saw
 * (0, no HTTP answer, is null) and what it reported; anything else (missing, NaN) means it did not check the service.
 * Latency is the exporter's probe_duration_seconds, or `latencyMs` (the round trip to the exporter) without it.
 */
export function readProbeAnswer(samples: readonly PromSample[], context: { exporter: string; module: string; latencyMs: number }): ProbeResult {
  const success = unlabelledValue(samples, "probe_success");
  const status = unlabelledValue(samples, "probe_http_status_code");
  const duration = unlabelledValue(samples, "probe_duration_seconds");
  const latencyMs = duration !== undefined && Number.isFinite(duration) && duration >= 0 ? Math.round(duration * 1000) : context.latencyMs;
  const httpStatus = status !== undefined && Number.isInteger(status) && status >= 100 && status <= 999 ? status : null;
  if (success === 1) return { outcome: "up", httpStatus, latencyMs, error: null };
  if (success === 0) {
    const regex = unlabelledValue(samples, "probe_failed_due_to_regex") === 1;
    const saw =
      httpStatus === null
        ? "no HTTP answer (the connection failed or timed out)"
        : regex
          ? `HTTP ${httpStatus}; the body did not match the module's regular expressions`
          : httpStatus >= 200 && httpStatus <= 299
            ? `HTTP ${httpStatus}, yet the probe failed (e.g. the body did not end in time; the exporter's log says why)`
            : `HTTP ${httpStatus}`;
    return { outcome: "down", httpStatus, latencyMs, error: `the blackbox exporter reported failure (module ${context.module}): ${saw}` };
  }
  const why = success === undefined ? "has no probe_success" : `has probe_success ${success}, neither 0 nor 1`;
  return notChecked(`the answer of the blackbox exporter at ${context.exporter} ${why}`, context.latencyMs);
}

/**
 * The exporter, not the service, failed: the service was not checked. `not_checked` is neither up (no false green)
 * nor a failure of the service (no false red): lib/health/state.ts leaves the service's state alone and it is
 * shown as not checked.
 */
function notChecked(why: string, latencyMs: number): ProbeResult {
  return { outcome: "not_checked", httpStatus: null, latencyMs, error: why.slice(0, 300) };
}

type ExporterAnswer = { status: number; body: Buffer; truncated: boolean };

function getProbe(url: URL, timeoutMs: number, signal: AbortSignal): Promise<ExporterAnswer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(
      url,
      {
        method: "GET",
        agent: false,
        signal,
        headers: { accept: "text/plain;version=0.0.4", "user-agent": USER_AGENT, "x-prometheus-scrape-timeout-seconds": String(timeoutMs / 1000) },
      },
      (response) => {
        readCapped(response, MAX_EXPORTER_ANSWER_BYTES).then((body) => resolve({ status: response.statusCode ?? 0, ...body }), reject);
      },
    );
    request.on("error", reject);
    request.end();
  });
}

function firstLine(body: Buffer): string {
  return body.toString("utf8").trim().split("\n", 1)[0]!.trim().slice(0, 200);
}

function connectionError(error: unknown): string {
  const first = error instanceof AggregateError ? error.errors[0] : error;
  switch ((first as NodeJS.ErrnoException | undefined)?.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "its host name does not resolve";
    case "ECONNRESET":
      return "the connection was reset";
    default:
      return first instanceof Error ? first.message || first.name : String(first);
  }
}
