// Which credentials go with a registry request: LUCID_REGISTRY_USERNAME / LUCID_REGISTRY_PASSWORD are for the
// registry builds push to (LUCID_REGISTRY, else Docker Hub) and are never sent to any other.
import { parseReference } from "@/lib/registry/reference";
import type { Credentials } from "@/lib/registry/session";

export type RegistryAccess = { registry: string | null; credentials: Credentials | null };

export function credentialsFor(reference: string, access: RegistryAccess): { credentials?: Credentials } {
  if (!access.credentials) return {};
  return parseReference(reference).registry === (access.registry ?? "docker.io") ? { credentials: access.credentials } : {};
}

/** The registry and credentials as the environment sets them. */
export function registryAccess(env: Readonly<Record<string, string | undefined>> = process.env): RegistryAccess {
  const registry = env.LUCID_REGISTRY?.trim().replace(/\/+$/, "") || null;
  const { LUCID_REGISTRY_USERNAME: username, LUCID_REGISTRY_PASSWORD: password } = env;
  return { registry, credentials: username && password ? { username, password } : null };
}
