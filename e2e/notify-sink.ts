// A loopback webhook receiver for the end-to-end tests: records every POST; GET /received answers them as JSON.
import { createServer } from "node:http";

const port = Number(process.env.E2E_SINK_PORT ?? 5057);
const received: { path: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];

createServer((req, res) => {
  if (req.method === "GET" && req.url === "/received") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received));
    return;
  }
  if (req.method === "GET") {
    res.writeHead(200).end("ok");
    return;
  }
  let body = "";
  req.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    received.push({ path: req.url ?? "", headers: req.headers, body });
    res.writeHead(200).end("ok");
  });
}).listen(port, "127.0.0.1");
