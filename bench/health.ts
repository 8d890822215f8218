// Health sweep benchmark: one sweep over 35 and over 1,000 targets on loopback, 10% of them hanging until
// the timeout, with the real probe and the poller's recording into a temporary database.
// Run alone with `npx tsx bench/health.ts`. Figures, not pass/fail; the goal is sweepMs <= 1.1 x timeoutMs.
import { spawn, type ChildProcess } from "node:child_process";
import { pathToFileURL } from "node:url";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { HealthPoller, type SweepReport } from "@/lib/health/poller";
import { healthSettings, storeDeployTarget } from "@/lib/health/settings";

export type HealthBenchFigure = {
  targets: number;
  hanging: number;
  timeoutMs: number;
  /** The concurrency cap the sweep ran with. */
  concurrency: number;
  /** The measured sweep: the second one, once the poller knows which targets were slow (it starts those first). */
  sweepMs: number;
  /** The first sweep of a fresh poller (cold query plans, no latency history). */
  firstSweepMs: number;
  probeMs: number;
  recordMs: number;
  ratioToTimeout: number;
  /** CPU time of this process (probes, recording; the target servers run in a child process). */
  cpuMs: number;
};

const TIMEOUT_MS = 1000;
const SERVERS = 4;
const DEADLINE_MS = 120_000;
export type HealthBenchCase = { targets: number; concurrency: number };
export const HEALTH_CASES: HealthBenchCase[] = [
  { targets: 35, concurrency: 50 },
  { targets: 1000, concurrency: 1000 },
  // For comparison: the default cap, where 100 hanging targets take two rounds of 50 slots.
  { targets: 1000, concurrency: 50 },
];

// The target servers, in a child process so their work is not counted in cpuMs. Plain JS for `node -e`:
// 127.0.0.1 only; `/hang/...` never answers (until the probe gives up), everything else is healthy JSON.
const SERVER_SOURCE = `
const http = require("node:http");
const ports = [];
let listening = 0;
for (let i = 0; i < ${SERVERS}; i++) {
  const server = http.createServer((req, res) => {
    if (req.url.startsWith("/hang/")) return;
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"healthy"}');
  });
  server.listen({ port: 0, host: "127.0.0.1", backlog: 2048 }, () => {
    ports[i] = server.address().port;
    if (++listening === ${SERVERS}) process.stdout.write(JSON.stringify(ports) + "\\n");
  });
}
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
`;

async function startTargetServers(): Promise<{ ports: number[]; stop: () => void }> {
  const child: ChildProcess = spawn(process.execPath, ["-e", SERVER_SOURCE], { stdio: ["pipe", "pipe", "inherit"] });
  const stop = () => {
    child.stdin?.end();
    child.kill();
  };
  const ports = await new Promise<number[]>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("target servers did not start within 10 s")), 10_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (!out.includes("\n")) return;
      clearTimeout(timer);
      resolve(JSON.parse(out) as number[]);
    });
    child.once("exit", (code) => reject(new Error(`target servers exited with ${code}`)));
  }).catch((error: unknown) => {
    stop();
    throw error;
  });
  return { ports, stop };
}

/** N images, each a distinct path on one of the servers; every tenth one hangs. */
async function seedTargets(db: PrismaClient, count: number, ports: number[]): Promise<number> {
  const phase = await db.phase.create({ data: { number: 1, name: "Phase 1", category: "Bench", required: count } });
  const hangs = (i: number) => i % 10 === 0;
  await db.image.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      name: `bench-${i}`,
      step: i + 1,
      title: `Bench ${i}`,
      repository: `bench/bench-${i}`,
      tags: [],
      dockerfile: "Dockerfile",
      context: ".",
      platforms: ["linux/arm64"],
      port: ports[i % ports.length]!,
      healthPath: `/${hangs(i) ? "hang" : "ok"}/${i}`,
      healthTargetSetAt: new Date(),
      phaseId: phase.id,
    })),
  });
  await storeDeployTarget(db, { host: "127.0.0.1", scheme: "http" });
  return Array.from({ length: count }, (_, i) => i).filter(hangs).length;
}

async function measureSweep(poller: HealthPoller): Promise<{ report: SweepReport; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const report = await poller.sweepOnce({ spreadMs: 0 });
  const used = process.cpuUsage(cpu);
  return { report, cpuMs: Math.round((used.user + used.system) / 1000) };
}

async function benchCase(ports: number[], targets: number, concurrency: number): Promise<HealthBenchFigure> {
  const { prisma: db, cleanup } = await createTestDatabase();
  try {
    const hanging = await seedTargets(db, targets, ports);
    const poller = new HealthPoller(db, { ...healthSettings({}), timeoutMs: TIMEOUT_MS, concurrency });
    const first = await measureSweep(poller);
    const { report, cpuMs } = await measureSweep(poller);
    if (report.targets !== targets) throw new Error(`swept ${report.targets} of ${targets} targets`);
    const round = (ms: number) => Math.round(ms);
    return {
      targets,
      hanging,
      timeoutMs: TIMEOUT_MS,
      concurrency,
      sweepMs: round(report.durationMs),
      firstSweepMs: round(first.report.durationMs),
      probeMs: round(report.probeMs),
      recordMs: round(report.recordMs),
      ratioToTimeout: Math.round((report.durationMs / TIMEOUT_MS) * 100) / 100,
      cpuMs,
    };
  } finally {
    await cleanup();
  }
}

export async function benchHealth(cases: HealthBenchCase[] = HEALTH_CASES): Promise<Record<string, HealthBenchFigure>> {
  const servers = await startTargetServers();
  let deadline: NodeJS.Timeout | undefined;
  try {
    const run = async () => {
      const results: Record<string, HealthBenchFigure> = {};
      for (const { targets, concurrency } of cases) {
        results[`${targets} targets, cap ${concurrency}`] = await benchCase(servers.ports, targets, concurrency);
      }
      return results;
    };
    const timeout = new Promise<never>((_, reject) => {
      deadline = setTimeout(() => reject(new Error(`health bench did not finish within ${DEADLINE_MS / 1000} s`)), DEADLINE_MS);
    });
    return await Promise.race([run(), timeout]);
  } finally {
    clearTimeout(deadline);
    servers.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchHealth();
  console.log(`\nHealth sweep on loopback: 10% of targets hang until the ${TIMEOUT_MS} ms timeout (goal: sweepMs <= 1.1 x timeout)`);
  console.table(results);
}
