// Read models of the declared deployment: the whole of it for GET /api/deployments, and one image's part for its
// page, where the plan's port, the Dockerfile's EXPOSE and the Compose ports are set side by side.
import type { Db } from "@/lib/db/types";
import { exposedPorts, rangeIncludes } from "@/lib/compliance/ports";
import type { ComposeProblem } from "@/lib/deploy/compose/yaml-tree";
import type { DeclaredService, HealthEndpoint, PortConflict } from "@/lib/deploy/declared";
import { readDeclaredDeployment, type DeploymentRead } from "@/lib/deploy/load";
import { runningView, type RunningContainerView } from "@/lib/views/running";

export type ServiceView = {
  name: string;
  /** Where the service is defined. */
  file: string | null;
  line: number | null;
  image: string | null;
  repository: string | null;
  tag: string | null;
  digest: string | null;
  planImage: string | null;
  ports: { published: number | null; target: number; protocol: string; hostIp: string | null; file: string | null; line: number | null }[];
  health: Omit<HealthEndpoint, "position"> & { file: string | null; line: number | null };
  conflictingPorts: number[];
  problem: string | null;
};

export type DeploymentView =
  | { configured: false; reason: string }
  | { configured: true; source: "setting" | "environment" | "none"; readable: false; files: string[]; problems: ComposeProblem[] }
  | {
      configured: true;
      source: "setting" | "environment" | "none";
      readable: true;
      files: string[];
      services: ServiceView[];
      otherServices: string[];
      notDeployed: string[];
      conflicts: PortConflict[];
      unset: string[];
    };

export function serviceView(s: DeclaredService): ServiceView {
  const at = s.service.positions[""] ?? null;
  return {
    name: s.service.name,
    file: at?.file ?? null,
    line: at?.line ?? null,
    image: s.service.image,
    repository: s.repository,
    tag: s.tag,
    digest: s.digest,
    planImage: s.image,
    ports: s.service.ports.map((p) => ({ published: p.published, target: p.target, protocol: p.protocol, hostIp: p.hostIp, file: p.position?.file ?? null, line: p.position?.line ?? null })),
    health: { port: s.health.port, path: s.health.path, from: s.health.from, file: s.health.position?.file ?? null, line: s.health.position?.line ?? null },
    conflictingPorts: s.conflictingPorts,
    problem: s.problem,
  };
}

export function deploymentView(read: DeploymentRead): DeploymentView {
  if (!read.configured) return { configured: false, reason: read.reason };
  const { declared, settings } = read;
  if (!declared.ok) return { configured: true, source: settings.source, readable: false, files: declared.files, problems: declared.problems };
  return {
    configured: true,
    source: settings.source,
    readable: true,
    files: declared.files,
    services: declared.services.map(serviceView),
    otherServices: declared.otherServices,
    notDeployed: declared.notDeployed,
    conflicts: declared.conflicts,
    unset: declared.unset,
  };
}

/** Where an image's port is stated, and whether they agree. */
export type PortSources = {
  plan: number | null;
  /** What the Dockerfile's final image EXPOSEs, as written; null when it was not read. */
  dockerfile: string[] | null;
  /** What the Compose services publish: host port → container port. */
  compose: { published: number | null; target: number; service: string; file: string | null; line: number | null }[];
  /** Each way the sources disagree, in words; empty when they agree (or too little is known to tell). */
  disagreements: string[];
};

/** What the Pi last reported running this image: null when it never reported anything. */
export type ImageRunning = { observedAt: string; containers: RunningContainerView[] } | null;

export type ImageDeployment = (
  | { state: "not_configured"; reason: string; ports: PortSources }
  | { state: "unreadable"; problems: ComposeProblem[]; ports: PortSources }
  | { state: "not_run"; files: string[]; ports: PortSources }
  | { state: "declared"; files: string[]; services: ServiceView[]; ports: PortSources }
) & { running: ImageRunning };

/** Whether the Dockerfile's EXPOSE, as written ("8113", "8000-8010/udp"), includes `port` (read as the rule reads it). */
function exposes(written: string[], port: number): boolean {
  return rangeIncludes(exposedPorts(written.join(" ")), port);
}

export function portSources(plan: number | null, dockerfile: string[] | null, services: ServiceView[]): PortSources {
  const compose = services.flatMap((s) => s.ports.filter((p) => p.protocol === "tcp").map((p) => ({ published: p.published, target: p.target, service: s.name, file: p.file, line: p.line })));
  const disagreements: string[] = [];
  if (plan !== null && dockerfile !== null && dockerfile.length > 0 && !exposes(dockerfile, plan)) {
    disagreements.push(`the plan says ${plan}, the Dockerfile EXPOSEs ${dockerfile.join(" ")}`);
  }
  if (plan !== null && compose.length > 0 && !compose.some((c) => c.target === plan)) {
    disagreements.push(`the plan says ${plan}, Compose publishes container port${compose.length === 1 ? "" : "s"} ${compose.map((c) => c.target).join(", ")}`);
  }
  if (dockerfile !== null && dockerfile.length > 0) {
    const unexposed = compose.filter((c) => !exposes(dockerfile, c.target));
    if (unexposed.length > 0) disagreements.push(`Compose publishes ${unexposed.map((c) => c.target).join(", ")}, which the Dockerfile does not EXPOSE (${dockerfile.join(" ")})`);
  }
  return { plan, dockerfile, compose, disagreements };
}

/** One image's part of the declared deployment and of what runs, or null when the plan has no such image. */
export async function imageDeployment(db: Db, name: string, dockerfileExposed: string[] | null): Promise<ImageDeployment | null> {
  const image = await db.image.findUnique({ where: { name }, select: { port: true } });
  if (!image) return null;
  const [deployment, runningNow] = await Promise.all([readDeclaredDeployment(db), runningView(db)]);
  const running: ImageRunning = runningNow.observedAt ? { observedAt: runningNow.observedAt, containers: runningNow.containers.filter((c) => c.planImage === name) } : null;
  const none = portSources(image.port, dockerfileExposed, []);
  if (!deployment.configured) return { state: "not_configured", reason: deployment.reason, ports: none, running };
  const { declared } = deployment;
  if (!declared.ok) return { state: "unreadable", problems: declared.problems, ports: none, running };
  const services = declared.services.filter((s) => s.image === name).map(serviceView);
  if (services.length === 0) return { state: "not_run", files: declared.files, ports: none, running };
  return { state: "declared", files: declared.files, services, ports: portSources(image.port, dockerfileExposed, services), running };
}
