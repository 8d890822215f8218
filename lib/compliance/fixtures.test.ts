// The analyser on the 26 real Lucid Dockerfiles, with the plan's facts. Every expected status below
// was decided by reading the Dockerfile, not by running the analyser; the note on each row says why.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyseDockerfile } from "@/lib/compliance/analyse";
import { FIXTURE_ROOT, hasLucidFixtures, lucidComplianceImages } from "@/lib/testing/lucid-fixtures";
import { DOCKERFILE_RULES } from "@/lib/compliance/rules";
import type { Finding, FindingStatus } from "@/lib/compliance/types";

// Columns, in rule order: distroless-final-stage, non-root-user, expected-user, healthcheck,
// multi-stage, exec-form, pinned-base, port-matches-plan, no-secrets-in-env, no-secret-files, no-remote-add.
// P pass, F fail, W warn, N n/a. dockerfile-present passes for all of these.
const COLUMNS = ["distroless-final-stage", "non-root-user", "expected-user", "healthcheck", "multi-stage", "exec-form", "pinned-base", "port-matches-plan", "no-secrets-in-env", "no-secret-files", "no-remote-add"];

// A row of "refused" is a file BuildKit would not build: its parse error is what the analyser must say.
const EXPECTED: Record<string, { row: string; why: string }> = {
  "lucid-base-python-distroless": { row: "P P P F P W F N P F P", why: "no HEALTHCHECK; one exec-form RUN (l.280) in the distroless stage; distroless :latest; base image, no port; COPY --from=builder of configs/.env.secrets and .env.master into the final stage (l.264)" },
  "lucid-base-java-distroless": { row: "P P P F P P F N P F P", why: "no HEALTHCHECK; final stage has no RUN; distroless java17 :latest; COPY --from=builder of configs/.env.secrets and .env.master into the final stage (l.188)" },
  "lucid-base": { row: "P P P F P W F N P P P", why: "no HEALTHCHECK; exec-form RUN at l.215; :latest" },
  "lucid-mongodb": { row: "P P P P P P F P P F P", why: "EXPOSE 27017 and the socket check probes 27017; mongo:7.0 tag and distroless :latest; COPY --from=builder of configs/.env.secrets and .env.master into the final stage (l.119)" },
  "lucid-redis": { row: "P P P P P P F P P F P", why: "EXPOSE 6379, health probes 6379; redis:7.2 and :latest; COPY --from=builder of configs/.env.secrets and .env.master into the final stage (l.119)" },
  "lucid-elasticsearch": { row: "P P P P P P F P P F P", why: "EXPOSE 9200 9300, curl localhost:9200; elasticsearch:8.11.0 and distroless java17 :latest; COPY --from=builder of configs/.env.secrets and .env.master into the final stage (l.119)" },
  "lucid-auth-service": { row: "P P P P W F F P P P P", why: "both stages are named builder; the final one is distroless but runs apt-get/pip install in shell-form RUNs" },
  "lucid-blockchain-engine": { row: "P P P P P W F P P P P", why: "exec-form RUN at l.158; EXPOSE 8084, health 127.0.0.1:8084" },
  "lucid-session-anchoring": { row: "P P P P P W F P P P P", why: "exec-form RUN at l.148; 8085" },
  "lucid-block-manager": { row: "P P P P P W F P P P P", why: "exec-form RUN at l.141; 8086" },
  "lucid-data-chain": { row: "P P P P P W F P P P P", why: "exec-form RUN at l.161; 8087" },
  "lucid-session-pipeline": { row: "P P P P P W F P P P P", why: "exec-form RUN at l.163; health probes ('session-pipeline', 8083)" },
  "lucid-session-recorder": { row: "refused", why: "line 180: COPY requires at least two arguments, but only one was provided. Destination could not be determined" },
  "lucid-chunk-processor": { row: "P P P P P W F P P P P", why: "exec-form RUNs at l.177 and l.228; 8091" },
  "lucid-session-storage": { row: "P P P P P W F P P P P", why: "exec-form RUNs at l.207 and l.251; 8082" },
  "lucid-session-api": { row: "P P P P P W F F P P P", why: "the plan says 8090; EXPOSE 8113 and the health check probes 8113" },
  "lucid-rdp-server-manager": { row: "P P P P P W F P P P P", why: "EXPOSE 8081, the plan agrees; the health check builds its URL from a variable, naming no port" },
  "lucid-rdp-xrdp": { row: "F P P P P N W P P P P", why: "final stage FROM python:3.11-slim-bookworm; it copies from the builder and apt-get installs xrdp, a runtime package, not build tooling; its only base is tagged, not :latest" },
  "lucid-rdp-controller": { row: "P P P P P W F P P P P", why: "exec-form RUN at l.130; 8092" },
  "lucid-rdp-monitor": { row: "P P P P P W F P P P P", why: "exec-form RUNs at l.145 and l.186; 8093" },
  "lucid-admin-interface": { row: "P P P P P W F P P P P", why: "three exec-form RUNs; EXPOSE 8120; health reads the port from the environment" },
  "lucid-gui": { row: "P F F F P P F N P P P", why: "distroless base-debian12:latest with no USER (root) and no HEALTHCHECK; node and debian tags, distroless :latest" },
  "lucid-rdp": { row: "P P F F P P F N P P P", why: "USER lucid:lucid is non-root but not 65532:65532; no HEALTHCHECK" },
  "lucid-vm": { row: "P P P W P P F P P P P", why: "python:${PYTHON_VERSION}-slim resolves to python:3.11-slim; the health check is sys.exit(0), which cannot fail" },
  "lucid-database": { row: "P P P P P P F P F F P", why: "ENV MONGODB_URI defaults to mongodb://lucid:lucid@...; health probes lucid-database:27018; COPY --from=builder of configs/.env.secrets and .env.master into the final stage (l.258)" },
  "lucid-storage": { row: "P P P P P P F P P F P", why: "EXPOSE 9900; health imports the module, no port; COPY --from=builder of configs/.env.secrets and .env.master into the final stage (l.385)" },
};

const MISSING = [
  "lucid-api-gateway",
  "lucid-service-mesh-controller",
  "lucid-node-management",
  "lucid-tron-client",
  "lucid-payout-router",
  "lucid-wallet-manager",
  "lucid-usdt-manager",
  "lucid-trx-staking",
  "lucid-payment-gateway",
];

const LETTER: Record<FindingStatus, string> = { pass: "P", fail: "F", warn: "W", "n/a": "N" };

const images = lucidComplianceImages();

function analyse(name: string): Finding[] {
  const image = images.find((i) => i.name === name)!;
  const text = readFileSync(path.join(FIXTURE_ROOT, image.dockerfile), "utf8");
  const result = analyseDockerfile(text, image, {}, image.dockerfile);
  expect(result.parseError).toBeNull();
  return result.findings;
}

function row(findings: Finding[]): string {
  return COLUMNS.map((rule) => LETTER[findings.find((f) => f.rule === rule)!.status]).join(" ");
}

describe.skipIf(!hasLucidFixtures)("the Lucid fixture Dockerfiles", () => {
  it("has 26 of the plan's 35 Dockerfiles; the table covers each exactly once", () => {
    const present = images.filter((i) => existsSync(path.join(FIXTURE_ROOT, i.dockerfile))).map((i) => i.name);
    expect(present.sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(images.filter((i) => !present.includes(i.name)).map((i) => i.name)).toEqual(MISSING);
    expect(COLUMNS).toEqual(DOCKERFILE_RULES.map((r) => r.id).filter((id) => id !== "dockerfile-present"));
  });

  it.each(Object.entries(EXPECTED))("%s", (name, { row: expected, why }) => {
    if (expected === "refused") {
      const image = images.find((i) => i.name === name)!;
      const result = analyseDockerfile(readFileSync(path.join(FIXTURE_ROOT, image.dockerfile), "utf8"), image, {}, image.dockerfile);
      expect(result.parseError).toBe(why);
      return;
    }
    const findings = analyse(name);
    expect(findings.find((f) => f.rule === "dockerfile-present")?.status).toBe("pass");
    expect(row(findings), why).toBe(expected);
    for (const f of findings) expect(f.source).toBe("dockerfile");
  });

  it("reports the Session API port disagreement with the lines that decide it", () => {
    const port = analyse("lucid-session-api").find((f) => f.rule === "port-matches-plan")!;
    expect(port).toMatchObject({ status: "fail", severity: "warning", line: 158 });
    expect(port.message).toBe("the final image EXPOSEs 8113, but the plan's port is 8090; the HEALTHCHECK probes 8113");
    expect(port.excerpt).toContain("EXPOSE 8113");
    expect(port.excerpt).toContain("connect_ex(('session-api', 8113))");
  });

  it("names the non-distroless base of the xrdp image and the root user of the GUI image", () => {
    const xrdp = analyse("lucid-rdp-xrdp").find((f) => f.rule === "distroless-final-stage")!;
    expect(xrdp).toMatchObject({ line: 105, excerpt: "FROM --platform=$TARGETPLATFORM python:3.11-slim-bookworm" });
    expect(xrdp.message).toContain("python:3.11-slim-bookworm, which is not distroless");
    const gui = analyse("lucid-gui").find((f) => f.rule === "non-root-user")!;
    expect(gui).toMatchObject({ status: "fail", severity: "error", line: 146, excerpt: "FROM gcr.io/distroless/base-debian12:latest" });
  });

  it("flags :latest bases by line", () => {
    const pinned = analyse("lucid-session-api").find((f) => f.rule === "pinned-base")!;
    expect(pinned).toMatchObject({ status: "fail", line: 97, excerpt: "FROM --platform=$TARGETPLATFORM gcr.io/distroless/python3-debian12:latest" });
    expect(pinned.message).toContain("python:3.11-slim-bookworm is pinned to a tag only, not a digest (line 19)");
  });

  it("masks the MongoDB password in the database image's excerpt", () => {
    const secrets = analyse("lucid-database").find((f) => f.rule === "no-secrets-in-env")!;
    expect(secrets).toMatchObject({ status: "fail", severity: "error", line: 238 });
    expect(secrets.excerpt).toBe("    MONGODB_URI=${MONGODB_URI:-mongodb://lucid:****@lucid-mongodb:27017/lucid?authSource=admin} \\");
  });

  it("lists the shell-form RUNs that cannot run in the auth service's distroless final stage", () => {
    const exec = analyse("lucid-auth-service").find((f) => f.rule === "exec-form")!;
    expect(exec).toMatchObject({ status: "fail", line: 35 });
    expect(exec.message).toContain("RUN in shell form (lines 35, 39, 49, 58, 61, 81, 88, 115, 126, 143, 160)");
  });
});
