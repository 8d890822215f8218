// The deployment as declared: each Compose service matched to the plan image it runs (by repository, the way a
// registry names it), the services that run no plan image, the plan images no service runs, and host ports that
// two services publish (a deployment error: neither is probed, since one of them cannot be listening).
import { InvalidReferenceError, parseReference } from "@/lib/registry/reference";
import type { ComposeProject } from "@/lib/deploy/compose/project";
import type { ComposeService } from "@/lib/deploy/compose/services";
import type { PublishedPort } from "@/lib/deploy/compose/ports";
import type { Position } from "@/lib/deploy/compose/yaml-tree";

export type PlanImageRef = { name: string; repository: string; tags: readonly string[]; port: number | null; healthPath: string | null };

/** Where a service's health is read: a host port published for it and the path of its health check URL. */
export type HealthEndpoint = {
  /** The host port to probe; null when the service publishes none that its health check uses. */
  port: number | null;
  path: string | null;
  /** healthcheck: the URL in the service's own health check; plan: the plan's path on the only published port. */
  from: "healthcheck" | "plan" | null;
  position: Position | null;
};

export type DeclaredService = {
  service: ComposeService;
  /** docker.io/pickme/lucid-session-api etc.; null when the image is missing or not a valid reference. */
  repository: string | null;
  tag: string | null;
  digest: string | null;
  /** The plan image this service runs, or null. */
  image: string | null;
  health: HealthEndpoint;
  /** Host ports this service publishes that another service publishes too. */
  conflictingPorts: number[];
  problem: string | null;
};

export type PortConflict = { port: number; protocol: string; services: string[] };

export type DeclaredDeployment =
  | { ok: true; files: string[]; services: DeclaredService[]; otherServices: string[]; notDeployed: string[]; conflicts: PortConflict[]; unset: string[] }
  | Extract<ComposeProject, { ok: false }>;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1"]);

/**
 * Which plan image a reference names: by repository, however it is written (docker.io/, index.docker.io/, none),
 * and by tag where several plan images share a repository (the three base images).
 */
export function planMatcher(plan: readonly PlanImageRef[]): (repository: string, tag: string | null) => { image: PlanImageRef | null; problem: string | null } {
  const byRepository = new Map<string, PlanImageRef[]>();
  for (const image of plan) {
    try {
      const { repository } = normalisedRepository(image.repository);
      byRepository.set(repository, [...(byRepository.get(repository) ?? []), image]);
    } catch (error) {
      if (!(error instanceof InvalidReferenceError)) throw error;
    }
  }
  return (repository, tag) => {
    const candidates = byRepository.get(repository) ?? [];
    if (candidates.length <= 1) return { image: candidates[0] ?? null, problem: null };
    const tagged = candidates.filter((c) => tag !== null && c.tags.some((t) => t.endsWith(`:${tag}`)));
    if (tagged.length === 1) return { image: tagged[0]!, problem: null };
    return { image: null, problem: `${repository} is the repository of ${candidates.length} plan images (${candidates.map((c) => c.name).join(", ")}) and the tag ${tag ?? "(none)"} does not say which` };
  };
}

/** A reference as registry, repository, tag and digest, normalised (`redis` is docker.io/library/redis); throws InvalidReferenceError. */
export function normalisedRepository(reference: string): { repository: string; tag: string | null; digest: string | null } {
  const parsed = parseReference(reference);
  return { repository: `${parsed.registry}/${parsed.repository}`, tag: parsed.tag, digest: parsed.digest };
}

/** The port and path of the first http(s) URL on the service itself that its health check fetches. */
function healthcheckUrl(service: ComposeService): { port: number | null; path: string } | null {
  if (!service.healthcheck || service.healthcheck.disabled) return null;
  const text = service.healthcheck.test.slice(1).join(" ");
  for (const match of text.matchAll(/https?:\/\/([^/\s'"`:]+|\[[^\]]+\])(?::(\d{1,5}))?(\/[^\s'"`]*)?/g)) {
    const [, host, port, path] = match;
    if (!LOCAL_HOSTS.has(host!) && host !== service.name && !service.aliases.includes(host!)) continue;
    return { port: port ? Number(port) : null, path: path || "/" };
  }
  return null;
}

function healthEndpoint(service: ComposeService, plan: PlanImageRef | null): HealthEndpoint {
  const published = service.ports.filter((p) => p.published !== null && p.protocol === "tcp");
  const url = healthcheckUrl(service);
  const at = service.positions.healthcheck ?? null;
  if (url) {
    // The URL names the port inside the container; the probe goes to the host port published for it.
    const port = url.port === null ? (published.length === 1 ? published[0]! : null) : (published.find((p) => p.target === url.port) ?? null);
    return { port: port?.published ?? null, path: url.path, from: "healthcheck", position: at };
  }
  if (published.length === 1 && plan?.healthPath) return { port: published[0]!.published, path: plan.healthPath, from: "plan", position: published[0]!.position };
  return { port: null, path: null, from: null, position: at };
}

function conflicts(services: ComposeService[]): PortConflict[] {
  const byPort = new Map<string, { port: number; protocol: string; services: Set<string> }>();
  for (const service of services) {
    for (const p of service.ports as (PublishedPort & { position: Position | null })[]) {
      if (p.published === null) continue;
      // 0.0.0.0 and no address both bind every interface: they clash with any address on that port.
      const key = `${p.published}/${p.protocol}`;
      const entry = byPort.get(key) ?? { port: p.published, protocol: p.protocol, services: new Set<string>() };
      entry.services.add(service.name);
      byPort.set(key, entry);
    }
  }
  return [...byPort.values()].filter((e) => e.services.size > 1).map((e) => ({ port: e.port, protocol: e.protocol, services: [...e.services] }));
}

/** Matches a readable Compose project against the plan's images. */
export function declaredDeployment(project: ComposeProject, plan: readonly PlanImageRef[]): DeclaredDeployment {
  if (!project.ok) return project;
  const match = planMatcher(plan);
  const clashes = conflicts(project.services);
  const clashing = new Map<string, number[]>();
  for (const clash of clashes) for (const name of clash.services) clashing.set(name, [...(clashing.get(name) ?? []), clash.port]);

  const services = project.services.map((service): DeclaredService => {
    let reference: ReturnType<typeof normalisedRepository> | null = null;
    let problem: string | null = service.image === null ? "the service names no image" : null;
    if (service.image !== null) {
      try {
        reference = normalisedRepository(service.image);
      } catch (error) {
        if (!(error instanceof InvalidReferenceError)) throw error;
        problem = error.message;
      }
    }
    const matched = reference ? match(reference.repository, reference.tag) : { image: null, problem: null };
    problem ??= matched.problem;
    const planImage = matched.image;
    const health = healthEndpoint(service, planImage);
    const conflicting = clashing.get(service.name) ?? [];
    return {
      service,
      repository: reference?.repository ?? null,
      tag: reference?.tag ?? null,
      digest: reference?.digest ?? null,
      image: planImage?.name ?? null,
      health: conflicting.includes(health.port ?? -1) ? { ...health, port: null } : health,
      conflictingPorts: conflicting,
      problem,
    };
  });
  const deployed = new Set(services.flatMap((s) => (s.image ? [s.image] : [])));
  return {
    ok: true,
    files: project.files,
    services,
    otherServices: services.filter((s) => s.image === null).map((s) => s.service.name),
    notDeployed: plan.filter((i) => !deployed.has(i.name)).map((i) => i.name),
    conflicts: clashes,
    unset: project.unset,
  };
}
