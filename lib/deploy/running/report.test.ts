import { describe, expect, it } from "vitest";
import { jsonValues, MAX_CONTAINERS, parseReport, ReportError } from "@/lib/deploy/running/report";

const CONFIG = `sha256:${"c".repeat(64)}`;
const INDEX = `sha256:${"a".repeat(64)}`;

// As `docker compose ps --all --format json` prints it (Compose 2.2x: one object per line).
const PS = [
  JSON.stringify({ Command: '"python -m app"', ExitCode: 0, Health: "healthy", ID: "3f2c", Image: "pickme/lucid-session-api:latest-arm64", Name: "session-api", Project: "lucid", Publishers: [{ URL: "0.0.0.0", TargetPort: 8113, PublishedPort: 8113, Protocol: "tcp" }], Service: "session-api", State: "running", Status: "Up 2 days (healthy)" }),
  JSON.stringify({ Health: "", ID: "77aa", Image: "dperson/torproxy", Name: "tor-proxy", Project: "lucid", Service: "tor-proxy", State: "exited", Status: "Exited (1) 3 hours ago" }),
].join("\n");
// `docker compose images --format json` and `docker image inspect` (pretty-printed arrays).
const IMAGES = JSON.stringify([{ ID: CONFIG, ContainerName: "session-api", Repository: "pickme/lucid-session-api", Tag: "latest-arm64", Size: 54300000 }], null, 2);
const INSPECT = JSON.stringify([{ Id: CONFIG, RepoTags: ["pickme/lucid-session-api:latest-arm64"], RepoDigests: [`pickme/lucid-session-api@${INDEX}`], Architecture: "arm64" }], null, 4);

describe("parseReport", () => {
  it("reads the three commands' output piped one after another, joining each container to its image's digests", () => {
    const containers = parseReport(`${PS}\n${IMAGES}\n${INSPECT}\n`);
    expect(containers).toEqual([
      { service: "session-api", project: "lucid", containerName: "session-api", image: "pickme/lucid-session-api:latest-arm64", imageId: CONFIG, repoDigests: [`pickme/lucid-session-api@${INDEX}`], state: "running", health: "healthy", startedAt: null, status: "Up 2 days (healthy)" },
      { service: "tor-proxy", project: "lucid", containerName: "tor-proxy", image: "dperson/torproxy", imageId: null, repoDigests: [], state: "exited", health: null, startedAt: null, status: "Exited (1) 3 hours ago" },
    ]);
  });

  it("reads older Compose's single array and `docker inspect` of the containers", () => {
    expect(parseReport(`[${PS.split("\n").join(",")}]`)).toHaveLength(2);
    const inspected = [{ Name: "/session-api", Image: INDEX, Config: { Image: "pickme/lucid-session-api@" + INDEX, Labels: { "com.docker.compose.service": "session-api", "com.docker.compose.project": "lucid" } }, State: { Status: "running", StartedAt: "2026-11-28T10:00:00.5Z", Health: { Status: "starting" } } }];
    expect(parseReport(JSON.stringify(inspected))).toEqual([
      expect.objectContaining({ service: "session-api", containerName: "session-api", imageId: INDEX, health: "starting", startedAt: new Date("2026-11-28T10:00:00.5Z") }),
    ]);
  });

  it.each([
    ["", "names no container"],
    ["not json", "line 1: expected a JSON object or array"],
    ['{"Service": "a", "State": "running"', "not closed"],
    ['{"Service": "a", "State": "running", "Name": "a"}', "Image"],
    ['{"hello": "world"}', "not a container or image Docker describes"],
    ['{"Service": 3, "State": "running", "Name": "a", "Image": "x"}', "Service"],
    ['{"a": "\\u00zz"}', "not JSON"],
    [IMAGES, "names no container"],
  ])("refuses %j, saying what is wrong (%s)", (body, message) => {
    expect(() => parseReport(body)).toThrow(ReportError);
    expect(() => parseReport(body)).toThrow(message);
  });

  it("refuses more containers than a report may hold", () => {
    const lines = Array.from({ length: MAX_CONTAINERS + 1 }, (_, i) => JSON.stringify({ Service: `s${i}`, State: "running", Name: `c${i}`, Image: "x" }));
    expect(() => parseReport(lines.join("\n"))).toThrow(`more than ${MAX_CONTAINERS} containers`);
  });

  it("splits values with braces and quotes inside strings correctly", () => {
    expect(jsonValues('{"a":"}{]["}\n[{"b":"\\"}"}] {"c":1}')).toEqual([{ a: "}{][" }, [{ b: '"}' }], { c: 1 }]);
  });
});
