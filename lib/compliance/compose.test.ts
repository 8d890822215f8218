import { describe, expect, it } from "vitest";
import { analyseComposeEvidence } from "@/lib/compliance/compose";
import { readComposeProject } from "@/lib/deploy/compose/project";
import type { ComposeService } from "@/lib/deploy/compose/services";
import type { CompliancePlan } from "@/lib/compliance/types";

const PLAN: CompliancePlan = { port: 8113, expectedUser: "65532:65532", platforms: ["linux/arm64", "linux/amd64"] };

function service(body: string): ComposeService {
  const project = readComposeProject([{ path: "deploy/compose.yml", text: `services:\n  api:\n${body.replace(/^/gm, "    ")}\n` }], {});
  if (!project.ok) throw new Error(JSON.stringify(project.problems));
  return project.services[0]!;
}
const verdicts = (body: string) => Object.fromEntries(analyseComposeEvidence({ service: service(body) }, PLAN).map((f) => [f.rule, f.status]));

const HARDENED = [
  "image: pickme/lucid-session-api:20261130-120000",
  "platform: linux/arm64",
  'user: "65532:65532"',
  "read_only: true",
  "cap_drop: [ALL]",
  "cap_add: [NET_BIND_SERVICE]",
  "security_opt: [no-new-privileges:true]",
  "networks: [lucid-pi-network]",
  "healthcheck: { test: [CMD, /bin/health] }",
].join("\n");

describe("compose rules", () => {
  it("pass a service hardened as the build summary says, each citing the line that decided it", () => {
    const findings = analyseComposeEvidence({ service: service(HARDENED) }, PLAN);
    expect(findings.every((f) => f.status === "pass")).toBe(true);
    expect(findings.find((f) => f.rule === "compose-read-only")).toMatchObject({ source: "compose", file: "deploy/compose.yml", line: 6, excerpt: "read_only: true", message: "api: read_only: true" });
    expect(findings.find((f) => f.rule === "compose-cap-drop-all")!.message).toBe("api: cap_drop: ALL; added back: NET_BIND_SERVICE");
  });

  it("fail what the Compose file undoes or leaves out", () => {
    expect(verdicts("image: pickme/lucid-session-api:latest-arm64\nuser: root\nread_only: false\ncap_drop: [NET_RAW]\nsecurity_opt: [seccomp:unconfined]\nhealthcheck: { disable: true }\nplatform: linux/amd64")).toEqual({
      "compose-read-only": "fail",
      "compose-cap-drop-all": "fail",
      "compose-no-new-privileges": "fail",
      "compose-user": "fail",
      "compose-healthcheck": "fail",
      "compose-network": "fail",
      "compose-platform": "fail",
      "compose-image-pinned": "fail",
    });
    expect(verdicts("image: x\nuser: '1000:1000'")["compose-user"]).toBe("warn");
    expect(verdicts("image: x")["compose-user"]).toBe("n/a");
    expect(verdicts("image: x")["compose-healthcheck"]).toBe("warn");
    expect(verdicts("image: x\nhealthcheck: { test: [NONE] }")["compose-healthcheck"]).toBe("fail");
  });

  it.each([
    ["pickme/x@sha256:" + "a".repeat(64), "pass"],
    ["pickme/x:1.4.2@sha256:" + "b".repeat(64), "pass"],
    ["pickme/x:20261130-120000", "pass"],
    ["pickme/x:v2-20261130", "pass"],
    ["pickme/x:latest-arm64", "fail"],
    ["pickme/x", "fail"],
    ["registry.local:5000/pickme/x", "fail"],
    ["pickme/x:2026", "fail"],
  ])("image %s is %s for compose-image-pinned", (image, status) => {
    expect(verdicts(`image: ${image}`)["compose-image-pinned"]).toBe(status);
  });

  it("are not applicable, saying why, when no service runs the image", () => {
    const findings = analyseComposeEvidence({ service: null, reason: "no service in the Compose files runs this image" }, PLAN);
    expect(findings).toHaveLength(8);
    expect(findings.every((f) => f.status === "n/a" && f.message === "no service in the Compose files runs this image")).toBe(true);
  });
});
