import { describe, expect, it } from "vitest";
import { portSources, type ServiceView } from "@/lib/views/deployment";

const service = (name: string, ports: [number | null, number][]): ServiceView => ({
  name,
  file: "compose.yml",
  line: 1,
  image: null,
  repository: null,
  tag: null,
  digest: null,
  planImage: null,
  ports: ports.map(([published, target]) => ({ published, target, protocol: "tcp", hostIp: null, file: "compose.yml", line: 3 })),
  health: { port: null, path: null, from: null, file: null, line: null },
  conflictingPorts: [],
  problem: null,
});

describe("portSources", () => {
  it("says nothing when the plan, the Dockerfile and Compose agree", () => {
    expect(portSources(8113, ["8113"], [service("api", [[8113, 8113]])]).disagreements).toEqual([]);
    expect(portSources(8113, ["8100-8120/tcp"], [service("api", [[18113, 8113]])]).disagreements).toEqual([]);
  });

  it("names each disagreement, as for the Session API: 8090 in the summary, 8113 in the Dockerfile and Compose", () => {
    expect(portSources(8090, ["8113"], [service("session-api", [[8113, 8113]])]).disagreements).toEqual([
      "the plan says 8090, the Dockerfile EXPOSEs 8113",
      "the plan says 8090, Compose publishes container port 8113",
    ]);
    expect(portSources(8113, ["8113"], [service("api", [[9000, 9000]])]).disagreements).toEqual([
      "the plan says 8113, Compose publishes container port 9000",
      "Compose publishes 9000, which the Dockerfile does not EXPOSE (8113)",
    ]);
  });

  it("does not guess where a source is unknown", () => {
    expect(portSources(null, null, []).disagreements).toEqual([]);
    expect(portSources(8113, null, []).disagreements).toEqual([]);
  });
});
