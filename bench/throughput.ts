// Sustained throughput: N clients each sending requests back to back for a fixed time, on loopback. For POST
// /api/builds every acknowledged (201) report is looked up in the database afterwards: none may be missing.
import { randomUUID } from "node:crypto";
import { chunks } from "@/lib/db/chunks";
import { createPrismaClient } from "@/lib/db/client";
import { createToken } from "@/lib/tokens/tokens";
import { buildReport } from "./build-report";
import { startServer, staticFilePath } from "./server";
import { seedBuildHistory } from "./seed-history";
import { percentile } from "./stats";

export type ThroughputFigure = {
  clients: number;
  seconds: number;
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** POST only: reports answered 201, and how many of those are not in the database afterwards (must be 0). */
  acknowledged?: number;
  missing?: number;
};

type Sent = { ok: boolean; ms: number; id?: number };

/** Runs `clients` loops of `send` until `durationMs` has passed; each loop waits for its answer before the next. */
async function sustain(clients: number, durationMs: number, send: (n: number) => Promise<Sent>): Promise<Sent[]> {
  const deadline = performance.now() + durationMs;
  const results: Sent[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) results.push(await send(n++));
    }),
  );
  return results;
}

function figure(clients: number, durationMs: number, results: Sent[]): ThroughputFigure {
  const times = results.map((r) => r.ms);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    clients,
    seconds: durationMs / 1000,
    requests: results.length,
    perSecond: Math.round(results.length / (durationMs / 1000)),
    p50: round(percentile(times, 0.5)),
    p99: round(percentile(times, 0.99)),
    errors: results.filter((r) => !r.ok).length,
  };
}

async function timed(request: () => Promise<Response>): Promise<Sent> {
  const started = performance.now();
  try {
    const response = await request();
    const body = await response.text();
    const ms = performance.now() - started;
    if (response.status === 201) return { ok: true, ms, id: (JSON.parse(body) as { id: number }).id };
    return { ok: response.ok, ms };
  } catch {
    return { ok: false, ms: performance.now() - started };
  }
}

/** Sustained GET / against a static file, and POST /api/builds, with `buildsPerImage` builds of every image stored first. */
export async function benchThroughput(port: number, databaseFile: string, clientCounts: number[], durationMs: number, buildsPerImage: number): Promise<Record<string, ThroughputFigure>> {
  const server = await startServer(port, databaseFile);
  seedBuildHistory(databaseFile, buildsPerImage);
  const prisma = createPrismaClient(`file:./${databaseFile}`);
  const figures: Record<string, ThroughputFigure> = {};
  try {
    const { token } = await createToken(prisma, "bench-throughput", ["builds:write"]);
    // Warm-up, not counted: the first requests compile routes and fill caches.
    for (let i = 0; i < 20; i++) await (await fetch(`${server.baseUrl}/`, { headers: { cookie: server.cookie } })).arrayBuffer();
    const asset = await staticFilePath(server);
    for (const clients of clientCounts) {
      const files = await sustain(clients, durationMs, () => timed(() => fetch(`${server.baseUrl}${asset}`)));
      figures[`GET static file, ${clients} clients`] = figure(clients, durationMs, files);
      const pages = await sustain(clients, durationMs, () => timed(() => fetch(`${server.baseUrl}/`, { headers: { cookie: server.cookie }, redirect: "manual" })));
      figures[`GET / (signed in), ${clients} clients`] = figure(clients, durationMs, pages);

      const writes = await sustain(clients, durationMs, (n) =>
        timed(() =>
          fetch(`${server.baseUrl}/api/builds`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": randomUUID() },
            body: buildReport(n),
          }),
        ),
      );
      const acknowledged = writes.flatMap((w) => (w.id === undefined ? [] : [w.id]));
      let found = 0;
      for (const ids of chunks(acknowledged)) found += await prisma.build.count({ where: { id: { in: ids } } });
      figures[`POST /api/builds, ${clients} clients`] = { ...figure(clients, durationMs, writes), acknowledged: acknowledged.length, missing: acknowledged.length - found };
    }
  } finally {
    await prisma.$disconnect();
    await server.stop();
  }
  return figures;
}
