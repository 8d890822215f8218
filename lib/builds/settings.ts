import path from "node:path";
import { z } from "zod";

/**
 * The build runner's own settings from the environment. The checkout (LUCID_REPO_ROOT), the builder
 * (LUCID_BUILDER, LUCID_BUILDAH_ROOT) and the log cap (LUCID_LOG_MAX_BYTES) are read where they are used:
 * lib/builds/checkout.ts, backends.ts and log.ts.
 */
export type RunnerSettings = {
  concurrency: number;
  timeoutMs: number;
  /** LUCID_REGISTRY: push Docker Hub references to this registry instead (e.g. 127.0.0.1:5000). */
  registry: string | null;
  logDir: string;
  killGraceMs: number;
  /** LUCID_REGISTRY_USERNAME / LUCID_REGISTRY_PASSWORD: for reading private pushes back (Docker Hub token flow). */
  registryCredentials: { username: string; password: string } | null;
};

const positiveInt = (name: string, fallback: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > max) {
        ctx.addIssue({ code: "custom", message: `${name} must be a whole number from 1 to ${max}; got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const schema = z.object({
  LUCID_BUILD_CONCURRENCY: positiveInt("LUCID_BUILD_CONCURRENCY", 1, 16),
  LUCID_BUILD_TIMEOUT_S: positiveInt("LUCID_BUILD_TIMEOUT_S", 3600, 86_400),
  LUCID_REGISTRY: z.string().optional(),
  LUCID_LOG_DIR: z.string().optional(),
  LUCID_KILL_GRACE_MS: positiveInt("LUCID_KILL_GRACE_MS", 5000, 600_000),
  LUCID_REGISTRY_USERNAME: z.string().optional(),
  LUCID_REGISTRY_PASSWORD: z.string().optional(),
});

export function runnerSettings(env: NodeJS.ProcessEnv = process.env): RunnerSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join("; "));
  const e = parsed.data;
  const blank = (v: string | undefined) => (v?.trim() ? v.trim() : null);
  return {
    concurrency: e.LUCID_BUILD_CONCURRENCY,
    timeoutMs: e.LUCID_BUILD_TIMEOUT_S * 1000,
    registry: blank(e.LUCID_REGISTRY)?.replace(/\/+$/, "") ?? null,
    logDir: path.resolve(/*turbopackIgnore: true*/ blank(e.LUCID_LOG_DIR) ?? "data/logs"),
    killGraceMs: e.LUCID_KILL_GRACE_MS,
    registryCredentials:
      e.LUCID_REGISTRY_USERNAME && e.LUCID_REGISTRY_PASSWORD ? { username: e.LUCID_REGISTRY_USERNAME, password: e.LUCID_REGISTRY_PASSWORD } : null,
  };
}
