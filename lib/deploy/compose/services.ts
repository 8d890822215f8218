// The services of a merged Compose model, reduced to what the dashboard judges: the image, the published ports,
// the health check, and the security settings, each with where it was written.
import { parsePortEntry, PortSyntaxError, type PublishedPort } from "@/lib/deploy/compose/ports";
import { positionOf, type ComposeProblem, type Position } from "@/lib/deploy/compose/yaml-tree";

export type ComposeHealthcheck = {
  /** The test as Compose runs it: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
  test: string[];
  disabled: boolean;
};

export type ComposeService = {
  name: string;
  image: string | null;
  ports: (PublishedPort & { position: Position | null })[];
  user: string | null;
  readOnly: boolean | null;
  capDrop: string[];
  capAdd: string[];
  securityOpt: string[];
  healthcheck: ComposeHealthcheck | null;
  networks: string[];
  platform: string | null;
  /** Other names the service answers to on its network: container_name and hostname. */
  aliases: string[];
  /** Where each setting of the service was written (its key's line), and the service itself under "". */
  positions: Record<string, Position>;
};

const FIELDS = ["image", "ports", "user", "read_only", "cap_drop", "cap_add", "security_opt", "healthcheck", "networks", "platform"] as const;

function strings(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(String);
  if (typeof value === "string") return [value];
  return [];
}

function booleanOf(value: unknown): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return null;
}

function healthcheckOf(value: unknown): ComposeHealthcheck | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const check = value as Record<string, unknown>;
  const disabled = booleanOf(check.disable) === true;
  // A string test is CMD-SHELL, as Compose reads it.
  const test = typeof check.test === "string" ? ["CMD-SHELL", check.test] : strings(check.test);
  return { test, disabled: disabled || test[0] === "NONE" };
}

/** Each service of `model` (already merged), in file order, with problems found in its settings. */
export function composeServices(model: Record<string, unknown>, problems: ComposeProblem[]): ComposeService[] {
  const services = model.services;
  if (services === undefined || services === null) return [];
  if (typeof services !== "object" || Array.isArray(services)) {
    const at = positionOf(model, "services");
    problems.push({ file: at?.file ?? "", line: at?.line ?? null, message: "services: must be a mapping of service names to services", excerpt: null });
    return [];
  }
  const out: ComposeService[] = [];
  for (const [name, raw] of Object.entries(services as Record<string, unknown>)) {
    const where = positionOf(services, name);
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      problems.push({ file: where?.file ?? "", line: where?.line ?? null, message: `service "${name}" must be a mapping`, excerpt: null });
      continue;
    }
    const service = raw as Record<string, unknown>;
    const positions: Record<string, Position> = {};
    if (where) positions[""] = where;
    for (const field of FIELDS) {
      const at = positionOf(service, field);
      if (at) positions[field] = at;
    }
    const ports: ComposeService["ports"] = [];
    (Array.isArray(service.ports) ? service.ports : service.ports === undefined ? [] : [service.ports]).forEach((entry, i) => {
      const position = positionOf(service.ports, i) ?? positions.ports ?? null;
      try {
        for (const port of parsePortEntry(entry)) ports.push({ ...port, position });
      } catch (error) {
        if (!(error instanceof PortSyntaxError)) throw error;
        problems.push({ file: position?.file ?? "", line: position?.line ?? null, message: `service "${name}": ports: ${error.message}`, excerpt: null });
      }
    });
    const networks = service.networks;
    out.push({
      name,
      image: typeof service.image === "string" && service.image.trim() !== "" ? service.image.trim() : null,
      ports,
      user: service.user === undefined || service.user === null ? null : String(service.user),
      readOnly: booleanOf(service.read_only),
      capDrop: strings(service.cap_drop),
      capAdd: strings(service.cap_add),
      securityOpt: strings(service.security_opt),
      healthcheck: healthcheckOf(service.healthcheck),
      networks: networks && typeof networks === "object" && !Array.isArray(networks) ? Object.keys(networks) : strings(networks),
      platform: typeof service.platform === "string" ? service.platform : null,
      aliases: [service.container_name, service.hostname].filter((v): v is string => typeof v === "string" && v !== ""),
      positions,
    });
  }
  return out;
}
