import { describe, expect, it } from "vitest";
import { declaredDeployment, type DeclaredDeployment, type PlanImageRef } from "@/lib/deploy/declared";
import { loadComposeProject, readComposeProject } from "@/lib/deploy/compose/project";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { LUCID_SERVICE_DEFAULTS } from "@/lib/plan/defaults";
import { FIXTURE_ROOT, hasLucidFixtures } from "@/lib/testing/lucid-fixtures";

const PLAN: PlanImageRef[] = LUCID_PLAN.phases.flatMap((p) =>
  p.images.map((i) => ({ name: i.name, repository: i.repository, tags: i.tags, port: LUCID_SERVICE_DEFAULTS[i.name]?.port ?? null, healthPath: "/health" })),
);

function ok(deployment: DeclaredDeployment) {
  if (!deployment.ok) throw new Error(JSON.stringify(deployment.problems));
  return deployment;
}
const declare = (text: string) => ok(declaredDeployment(readComposeProject([{ path: "compose.yml", text }], {}), PLAN));

describe("declaredDeployment", () => {
  it("matches services to plan images by repository, however the reference is written", () => {
    const d = declare(
      [
        "services:",
        "  api: { image: pickme/lucid-session-api:latest-arm64 }",
        "  gw: { image: docker.io/pickme/lucid-api-gateway@sha256:" + "a".repeat(64) + " }",
        "  auth: { image: index.docker.io/pickme/lucid-auth-service }",
        "  renamed: { image: pickme/rdp-server-manager:latest-arm64 }",
        "  tor: { image: dperson/torproxy }",
        "  broken: { image: 'Not A Reference' }",
        "  none: { build: . }",
      ].join("\n"),
    );
    expect(d.services.map((s) => [s.service.name, s.image])).toEqual([
      ["api", "lucid-session-api"],
      ["gw", "lucid-api-gateway"],
      ["auth", "lucid-auth-service"],
      ["renamed", null],
      ["tor", null],
      ["broken", null],
      ["none", null],
    ]);
    expect(d.services.find((s) => s.service.name === "gw")!.digest).toBe(`sha256:${"a".repeat(64)}`);
    expect(d.otherServices).toEqual(["renamed", "tor", "broken", "none"]);
    expect(d.notDeployed).toContain("lucid-rdp-server-manager");
    expect(d.notDeployed).not.toContain("lucid-session-api");
    expect(d.services.find((s) => s.service.name === "broken")!.problem).toBe('"Not A Reference" is not a valid image reference: it contains whitespace');
    expect(d.services.find((s) => s.service.name === "none")!.problem).toBe("the service names no image");
  });

  it("tells the base images apart by tag, since they share one repository", () => {
    const d = declare("services:\n  py: { image: pickme/lucid-base:python-distroless-arm64 }\n  what: { image: pickme/lucid-base:other }\n");
    expect(d.services.map((s) => s.image)).toEqual(["lucid-base-python-distroless", null]);
    expect(d.services[1]!.problem).toContain("does not say which");
  });

  it("probes the host port published for the port its health check URL names, with that URL's path", () => {
    const d = declare(
      [
        "services:",
        "  api:",
        "    image: pickme/lucid-session-api",
        "    ports: ['18113:8113', '9000:9000']",
        "    healthcheck:",
        "      test: [CMD, python, -c, \"urlopen('http://localhost:8113/api/health')\"]",
        "  gw:",
        "    image: pickme/lucid-api-gateway",
        "    ports: ['8080:8080']",
        "  quiet:",
        "    image: pickme/lucid-auth-service",
        "    ports: ['8089:8089', '8090:8090']",
      ].join("\n"),
    );
    const [api, gw, quiet] = d.services;
    expect(api!.health).toEqual({ port: 18113, path: "/api/health", from: "healthcheck", position: { file: "compose.yml", line: 5, excerpt: "healthcheck:" } });
    // No URL in a health check: the plan's path on the only published port.
    expect(gw!.health).toMatchObject({ port: 8080, path: "/health", from: "plan" });
    // Two ports and nothing saying which: not guessed.
    expect(quiet!.health).toMatchObject({ port: null, path: null, from: null });
  });

  it("reports a host port published twice, and probes neither service on it", () => {
    const d = declare("services:\n  a: { image: pickme/lucid-session-api, ports: ['8080:80'] }\n  b: { image: pickme/lucid-api-gateway, ports: ['0.0.0.0:8080:8080'] }\n  c: { image: pickme/lucid-auth-service, ports: ['8080:53/udp'] }\n");
    expect(d.conflicts).toEqual([{ port: 8080, protocol: "tcp", services: ["a", "b"] }]);
    expect(d.services.map((s) => [s.service.name, s.health.port, s.conflictingPorts])).toEqual([
      ["a", null, [8080]],
      ["b", null, [8080]],
      ["c", null, []],
    ]);
  });

  it("passes a project that cannot be read through, with its problems", () => {
    const d = declaredDeployment(readComposeProject([{ path: "x.yml", text: "services: [" }], {}), PLAN);
    expect(d.ok).toBe(false);
  });
});

describe.skipIf(!hasLucidFixtures)("the Lucid session Compose file", () => {
  it("deploys the session images on the ports and paths their health checks use; two services run images the plan does not build", async () => {
    const d = ok(declaredDeployment(await loadComposeProject(FIXTURE_ROOT, { files: ["build/docker-compose.session-images.yml"] }), PLAN));
    const api = d.services.find((s) => s.image === "lucid-session-api")!;
    expect(api.service.name).toBe("session-api");
    expect(api.health).toMatchObject({ port: 8113, path: "/health", from: "healthcheck" });
    expect(d.services.filter((s) => s.image !== null).map((s) => s.image).sort()).toEqual(
      ["lucid-chunk-processor", "lucid-session-anchoring", "lucid-session-api", "lucid-session-pipeline", "lucid-session-recorder"].sort(),
    );
    expect(d.otherServices.sort()).toEqual(["session-management", "session-pipeline-manager", "session-storage", "session-systems-control"].sort());
    expect(d.conflicts).toEqual([]);
  });
});
