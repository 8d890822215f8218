// Local HTTP servers for health tests and the bench: 127.0.0.1 only, on ports the kernel picks.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type TestServer = {
  port: number;
  url: (path?: string) => string;
  /** Requests received so far. */
  requests: () => number;
  close: () => Promise<void>;
};

export async function startServer(handler: http.RequestListener): Promise<TestServer> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path = "/health") => `http://127.0.0.1:${port}${path}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port that was just bound and released, so connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = await startServer(() => {});
  await server.close();
  return server.port;
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Sends the headers, then never ends the response (until the client gives up). */
export function hangAfterHeaders(res: http.ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.flushHeaders();
}
