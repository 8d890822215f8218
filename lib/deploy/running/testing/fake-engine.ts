// A Docker Engine API stand-in on 127.0.0.1 for tests: the two endpoints the dashboard reads, answering with
// responses recorded from both image stores. Classic store: a container's ImageID is the image's config digest,
// its RepoDigests the index digest it was pulled by. containerd store: the ImageID is the index digest itself.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type EngineFixture = { off: true } | { store: "classic" | "containerd"; indexDigest: string; state?: string };

export const CONFIG_DIGEST = `sha256:${"c0".repeat(32)}`;

/** The engine's answers for one fixture: path → JSON body. */
export function engineResponses(fixture: EngineFixture): Map<string, unknown> {
  if ("off" in fixture) return new Map();
  const imageId = fixture.store === "classic" ? CONFIG_DIGEST : fixture.indexDigest;
  return new Map<string, unknown>([
    [
      "/containers/json?all=1",
      [
        {
          Id: "4b8f0c2a9d1e",
          Names: ["/rdp-monitor"],
          Image: "pickme/lucid-rdp-monitor:latest-arm64",
          ImageID: imageId,
          Command: "/app/monitor",
          Created: 1_764_480_000,
          Labels: { "com.docker.compose.project": "lucid", "com.docker.compose.service": "rdp-monitor", "com.docker.compose.version": "2.29.7" },
          State: fixture.state ?? "running",
          Status: fixture.state === "exited" ? "Exited (1) 5 minutes ago" : "Up 3 hours (healthy)",
          Ports: [{ PrivatePort: 8094, PublicPort: 18094, Type: "tcp" }],
        },
        {
          Id: "9a7e51c0b3f2",
          Names: ["/tor-proxy"],
          Image: "dperson/torproxy",
          ImageID: `sha256:${"7e".repeat(32)}`,
          Labels: { "com.docker.compose.project": "lucid", "com.docker.compose.service": "tor-proxy" },
          State: "running",
          Status: "Up 3 hours",
        },
      ],
    ],
    [`/images/${imageId}/json`, { Id: imageId, RepoTags: ["pickme/lucid-rdp-monitor:latest-arm64"], RepoDigests: [`pickme/lucid-rdp-monitor@${fixture.indexDigest}`], Architecture: "arm64", Os: "linux" }],
    [`/images/sha256:${"7e".repeat(32)}/json`, { Id: `sha256:${"7e".repeat(32)}`, RepoDigests: [] }],
  ]);
}

export type FakeEngine = { url: string; set(fixture: EngineFixture): void; requests: string[]; close(): Promise<void> };

/** Starts the stand-in; `PUT /_fixture` with a fixture as JSON changes what it answers (503 while off). */
export async function startFakeEngine(port = 0, initial: EngineFixture = { off: true }): Promise<FakeEngine> {
  let responses = engineResponses(initial);
  let off = "off" in initial;
  const requests: string[] = [];
  const set = (fixture: EngineFixture) => {
    responses = engineResponses(fixture);
    off = "off" in fixture;
  };
  const server: Server = createServer((request, response) => {
    const url = request.url ?? "/";
    if (request.method === "PUT" && url === "/_fixture") {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        set(JSON.parse(body) as EngineFixture);
        response.writeHead(204).end();
      });
      return;
    }
    if (url === "/_ping") return void response.writeHead(200).end("OK");
    requests.push(`${request.method} ${url}`);
    if (request.method !== "GET") return void response.writeHead(405).end();
    if (off) return void response.writeHead(503, { "content-type": "application/json" }).end('{"message":"engine not answering"}');
    const body = responses.get(url);
    if (body === undefined) return void response.writeHead(404, { "content-type": "application/json" }).end('{"message":"no such image"}');
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${bound}`, set, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
