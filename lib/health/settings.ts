// Where health probes go and how often: the deployment host (Setting table, seeded by LUCID_DEPLOY_HOST)
// and the poller's limits (environment only).
import { isIPv4, isIPv6 } from "node:net";
import { z } from "zod";
import type { Db } from "@/lib/db/types";

export type { Db };

/** Environment variables as read here (process.env, or a plain object in tests). */
import type { Env } from "@/lib/env";

export type { Env };

export const DEPLOY_HOST_KEY = "deploy.host";
const DEPLOY_SCHEME_KEY = "deploy.scheme";

const DEPLOY_SCHEMES = ["http", "https"] as const;
export type DeployScheme = (typeof DEPLOY_SCHEMES)[number];
export type DeployTarget = { host: string; scheme: DeployScheme };

/** Health bodies are read up to this many bytes; a larger body is judged on what was read. */
export const MAX_BODY_BYTES = 64 * 1024;

export type HealthSettings = {
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive failures before a service is `down` (before that it is `degraded`). */
  threshold: number;
  concurrency: number;
  retentionDays: number;
  maxBodyBytes: number;
};

const wholeNumber = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number from ${min} to ${max}; got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const envSchema = z.object({
  LUCID_HEALTH_INTERVAL_S: wholeNumber("LUCID_HEALTH_INTERVAL_S", 30, 1, 86_400),
  LUCID_HEALTH_TIMEOUT_MS: wholeNumber("LUCID_HEALTH_TIMEOUT_MS", 5000, 100, 120_000),
  LUCID_HEALTH_THRESHOLD: wholeNumber("LUCID_HEALTH_THRESHOLD", 3, 1, 100),
  LUCID_HEALTH_CONCURRENCY: wholeNumber("LUCID_HEALTH_CONCURRENCY", 50, 1, 10_000),
  LUCID_HEALTH_RETENTION_DAYS: wholeNumber("LUCID_HEALTH_RETENTION_DAYS", 7, 1, 3650),
});

export function healthSettings(env: Env = process.env): HealthSettings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const e = parsed.data;
  return {
    intervalMs: e.LUCID_HEALTH_INTERVAL_S * 1000,
    timeoutMs: e.LUCID_HEALTH_TIMEOUT_MS,
    threshold: e.LUCID_HEALTH_THRESHOLD,
    concurrency: e.LUCID_HEALTH_CONCURRENCY,
    retentionDays: e.LUCID_HEALTH_RETENTION_DAYS,
    maxBodyBytes: MAX_BODY_BYTES,
  };
}

/**
 * Who sends the probes (LUCID_HEALTH_PROBER): the dashboard itself (`direct`, the default), or a Prometheus
 * blackbox_exporter (`blackbox`) at LUCID_BLACKBOX_URL, with the module LUCID_BLACKBOX_MODULE (default `http_2xx`).
 */
export type ProberSettings = { kind: "direct" } | { kind: "blackbox"; url: string; module: string };

export const PROBERS = ["direct", "blackbox"] as const;
export const DEFAULT_BLACKBOX_MODULE = "http_2xx";
/** A module name as blackbox.yml's keys are usually written; spaces or `&` would only ever be a typing slip. */
const MODULE_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;

const proberSchema = z
  .object({ LUCID_HEALTH_PROBER: z.string().optional(), LUCID_BLACKBOX_URL: z.string().optional(), LUCID_BLACKBOX_MODULE: z.string().optional() })
  .transform((e, ctx): ProberSettings => {
    const kind = e.LUCID_HEALTH_PROBER?.trim().toLowerCase() || "direct";
    if (kind === "direct") return { kind };
    if (kind !== "blackbox") {
      ctx.addIssue({ code: "custom", message: `LUCID_HEALTH_PROBER must be ${PROBERS.map((p) => `"${p}"`).join(" or ")}; got "${e.LUCID_HEALTH_PROBER}"` });
      return z.NEVER;
    }
    const url = blackboxUrl(e.LUCID_BLACKBOX_URL);
    const moduleName = e.LUCID_BLACKBOX_MODULE?.trim() || DEFAULT_BLACKBOX_MODULE;
    if (typeof url !== "string") ctx.addIssue({ code: "custom", message: url.message });
    if (!MODULE_NAME.test(moduleName)) {
      ctx.addIssue({ code: "custom", message: `LUCID_BLACKBOX_MODULE must be a module name from the exporter's blackbox.yml (letters, digits, _ . : -); got "${e.LUCID_BLACKBOX_MODULE}"` });
    }
    return typeof url === "string" && MODULE_NAME.test(moduleName) ? { kind, url, module: moduleName } : z.NEVER;
  });

/** LUCID_BLACKBOX_URL → the exporter's base URL without a trailing slash (a path is a --web.route-prefix). */
function blackboxUrl(raw: string | undefined): string | { message: string } {
  const given = raw?.trim() ?? "";
  const example = "e.g. http://127.0.0.1:9115";
  const shown = given.includes("@") ? "a value with credentials (not shown)" : `"${given}"`;
  if (given === "") return { message: `LUCID_BLACKBOX_URL must be set when LUCID_HEALTH_PROBER=blackbox: the exporter's address, ${example}` };
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return { message: `LUCID_BLACKBOX_URL must be an http:// or https:// URL, ${example}; got ${shown}` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { message: `LUCID_BLACKBOX_URL must be an http:// or https:// URL, ${example}; got ${shown}` };
  if (url.search || url.hash) return { message: `LUCID_BLACKBOX_URL must not have a query or fragment: /probe?target=…&module=… is added to it (${example})` };
  return url.href.replace(/\/+$/, "");
}

/** Throws with a message naming the variable when LUCID_HEALTH_PROBER or the blackbox settings are wrong. */
export function proberSettings(env: Env = process.env): ProberSettings {
  const parsed = proberSchema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  return parsed.data;
}

/** The exporter's URL as it may be shown or stored in an error: without a user name or password. */
export function blackboxLabel(url: string): string {
  const parsed = new URL(url);
  parsed.username = "";
  parsed.password = "";
  return parsed.href.replace(/\/$/, "");
}

type HostParse = { ok: true; host: string; scheme: DeployScheme | null } | { ok: false; message: string };

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const fail = (message: string): HostParse => ({ ok: false, message });

/**
 * A deployment host as typed: `pi.local`, `192.168.1.50`, `[fe80::1]`, optionally with `http://` or `https://`.
 * IPv6 addresses are returned in brackets, names in lower case. Ports, paths and credentials are refused:
 * each image's port and health path come from the plan.
 */
function parseHost(raw: string): HostParse {
  let rest = raw.trim();
  let scheme: DeployScheme | null = null;
  const prefix = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (prefix) {
    const given = prefix[1]!.toLowerCase();
    if (given !== "http" && given !== "https") return fail(`Only http:// or https:// can be used, not ${given}://.`);
    scheme = given;
    rest = rest.slice(prefix[0].length);
  }
  if (rest.includes("@")) return fail("Leave credentials out: the host is a name or an address only.");
  if (rest.endsWith("/")) rest = rest.slice(0, -1);
  if (/[/?#\\]/.test(rest)) return fail("Leave the path out: each image's health path comes from the plan.");
  if (rest === "") return fail("Enter a host name or an IP address.");
  const host = normalizeAddress(rest);
  return typeof host === "string" ? { ok: true, host, scheme } : host;
}

function normalizeAddress(rest: string): string | HostParse {
  const portHint = "Leave the port out: each image's port comes from the plan (pi.local, not pi.local:8080).";
  const bracketed = /^\[([^\]]*)\](.*)$/.exec(rest);
  if (bracketed) {
    if (bracketed[2]) return fail(/^:\d*$/.test(bracketed[2]) ? portHint : `"${rest}" is not a valid address.`);
    return isIPv6(bracketed[1]!) && !bracketed[1]!.includes("%") ? canonicalIPv6(bracketed[1]!) : fail(`"${bracketed[1]}" is not a valid IPv6 address.`);
  }
  if (isIPv6(rest) && !rest.includes("%")) return canonicalIPv6(rest);
  if (/^[^:]+:\d*$/.test(rest)) return fail(portHint);
  if (/^[0-9.]+$/.test(rest)) return isIPv4(rest) ? rest : fail(`"${rest}" is not a valid IPv4 address.`);
  const name = rest.replace(/\.$/, "").toLowerCase();
  if (!HOSTNAME.test(name)) return fail(`"${rest}" is not a valid host name: use letters, digits, hyphens and dots (e.g. pi.local).`);
  return name;
}

/** `[fe80::1]`, written as URLs write it, so a stored host compares equal to a probe URL's hostname. */
const canonicalIPv6 = (address: string): string => new URL(`http://[${address}]/`).hostname;

/**
 * Form or environment input → a deployment target, or null for "polling off" (empty host).
 * A scheme written in the host (`https://pi.local`) must agree with an explicit scheme if both are given.
 */
export const deployTargetInput = z
  .object({ host: z.string().max(300, "That host is too long."), scheme: z.string().optional() })
  .transform((input, ctx): DeployTarget | null => {
    if (input.host.trim() === "") return null;
    const explicit = input.scheme?.trim().toLowerCase() || null;
    if (explicit !== null && explicit !== "http" && explicit !== "https") {
      ctx.addIssue({ code: "custom", path: ["scheme"], message: `The scheme must be http or https, not "${input.scheme}".` });
      return z.NEVER;
    }
    const parsed = parseHost(input.host);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", path: ["host"], message: parsed.message });
      return z.NEVER;
    }
    if (parsed.scheme && explicit && parsed.scheme !== explicit) {
      ctx.addIssue({ code: "custom", path: ["host"], message: `The host starts with ${parsed.scheme}:// but the scheme is ${explicit}.` });
      return z.NEVER;
    }
    return { host: parsed.host, scheme: parsed.scheme ?? (explicit as DeployScheme | null) ?? "http" };
  });

/** The stored deployment target, or null when none is set (polling off). A malformed stored value counts as none. */
export async function getDeployTarget(db: Db): Promise<DeployTarget | null> {
  const rows = await db.setting.findMany({ where: { key: { in: [DEPLOY_HOST_KEY, DEPLOY_SCHEME_KEY] } } });
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const parsed = deployTargetInput.safeParse({ host: value(DEPLOY_HOST_KEY) ?? "", scheme: value(DEPLOY_SCHEME_KEY) });
  return parsed.success ? parsed.data : null;
}

/** Stores the target (null deletes it: polling off). Returns whether anything changed. */
export async function storeDeployTarget(db: Db, target: DeployTarget | null): Promise<boolean> {
  const before = await getDeployTarget(db);
  if (sameTarget(before, target)) return false;
  if (target === null) {
    await db.setting.deleteMany({ where: { key: { in: [DEPLOY_HOST_KEY, DEPLOY_SCHEME_KEY] } } });
    return true;
  }
  for (const [key, value] of [
    [DEPLOY_HOST_KEY, target.host],
    [DEPLOY_SCHEME_KEY, target.scheme],
  ] as const) {
    await db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
  }
  return true;
}

function sameTarget(a: DeployTarget | null, b: DeployTarget | null): boolean {
  return a?.host === b?.host && a?.scheme === b?.scheme;
}

/**
 * LUCID_DEPLOY_HOST (with an optional scheme prefix or LUCID_DEPLOY_SCHEME), or undefined when it is not set.
 * Throws with a message naming the variable when it is malformed.
 */
export function deployTargetFromEnv(env: Env = process.env): DeployTarget | undefined {
  const host = env.LUCID_DEPLOY_HOST?.trim();
  if (!host) return undefined;
  const parsed = deployTargetInput.safeParse({ host, scheme: env.LUCID_DEPLOY_SCHEME });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${issue.path[0] === "scheme" ? "LUCID_DEPLOY_SCHEME" : "LUCID_DEPLOY_HOST"}: ${issue.message}`);
  }
  return parsed.data ?? undefined;
}
