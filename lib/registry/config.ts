// The runtime facts of a pushed image's config that the dashboard keeps per build and platform (for compliance):
// the user, the health check and the exposed ports, as read from the registry (lib/registry/client.ts).
import type { PushedPlatform } from "@/lib/registry/client";

export type PushedConfig = { user: string | null; healthcheck: string[] | null; exposedPorts: string[] };

/** What is stored of a platform's config read from the registry. */
export function storedPushedConfig(config: PushedPlatform["config"]): PushedConfig {
  return { user: config.user, healthcheck: config.healthcheck, exposedPorts: config.exposedPorts };
}

/** A stored config (a JSON column) read back; null when absent or malformed. */
export function pushedConfig(value: unknown): PushedConfig | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  return {
    user: typeof v.user === "string" ? v.user : null,
    healthcheck: Array.isArray(v.healthcheck) ? v.healthcheck.map(String) : null,
    exposedPorts: Array.isArray(v.exposedPorts) ? v.exposedPorts.map(String) : [],
  };
}
