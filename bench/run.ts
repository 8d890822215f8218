// `npm run bench`: the dashboard's speed goals, measured on loopback. Figures, not pass/fail.
// `--smoke` (in `npm test`): every case once with a handful of requests, so a change that breaks the bench fails
// the tests; it fails on any error, a missing acknowledged write, or a health sweep that did not finish.
import { mkdirSync, writeFileSync } from "node:fs";
import { createPrismaClient } from "@/lib/db/client";
import { createToken } from "@/lib/tokens/tokens";
import { startServer, staticFilePath } from "./server";
import { buildReport } from "./build-report";
import { summarize, timeRequests, type Summary } from "./stats";
import { seedBuildHistory, seedHealthHistory } from "./seed-history";
import { benchRebuild } from "./rebuild";
import { benchHealth, HEALTH_CASES } from "./health";
import { benchBigDockerfile, benchCompliance, benchComplianceCli } from "./compliance";
import { benchCompose } from "./compose";
import { benchSupplyChain } from "./supply-chain";
import { benchScanImport } from "./vulnerabilities";
import { benchThroughput, type ThroughputFigure } from "./throughput";
import { benchPostgres } from "./postgresql";

function ratio(a: number, b: number): number {
  return Math.round((a / b) * 100) / 100;
}

const smoke = process.argv.includes("--smoke");
const REQUESTS = smoke ? 5 : Number(process.env.BENCH_REQUESTS ?? 300);
const WARMUP = smoke ? 2 : 20;
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BUILDS_PER_IMAGE = smoke ? 20 : Number(process.env.BENCH_BUILDS_PER_IMAGE ?? 2000);
const HEALTH_SAMPLES = smoke ? 10_000 : Number(process.env.BENCH_HEALTH_SAMPLES ?? 1_000_000);
const REBUILDS = smoke ? 2 : Number(process.env.BENCH_REBUILDS ?? 20);
const THROUGHPUT_CLIENTS = smoke ? [2] : [10, 50];
const THROUGHPUT_MS = smoke ? 1_000 : Number(process.env.BENCH_THROUGHPUT_S ?? 30) * 1000;
const HEALTH = smoke ? HEALTH_CASES.filter((c) => c.concurrency >= c.targets) : HEALTH_CASES;
const DATABASE = "data/bench.db";

const results: Record<string, Record<string, unknown>> = {};
const goals: Record<string, { measured: number; goal: string }> = {};
const server = await startServer(PORT, DATABASE);
const prisma = createPrismaClient(`file:./${DATABASE}`);
try {
  const { token } = await createToken(prisma, "bench-writes", ["builds:write"]);
  let reports = 0;
  // A build reported through the API, as CI does: it changes the overview, so the next page cannot come from a cache.
  const reportBuild = async () => {
    const response = await fetch(`${server.baseUrl}/api/builds`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: buildReport(reports++),
    });
    if (response.status !== 201) throw new Error(`POST /api/builds answered ${response.status}`);
  };
  const asset = await staticFilePath(server);
  const measure = async (label: string, paths: string[], changing: string[] = []) => {
    const table: Record<string, Summary> = {};
    // As a signed-in admin: every request pays for the session check (proxy and page or route).
    const time = (path: string, before?: () => Promise<void>) => timeRequests(`${server.baseUrl}${path}`, REQUESTS, WARMUP, { cookie: server.cookie }, before);
    for (const path of paths) table[`GET ${path}`] = summarize(await time(path));
    for (const path of changing) table[`GET ${path}, a build reported before each`] = summarize(await time(path, reportBuild));
    results[label] = table;
    return table;
  };

  await measure("pages, default data (8 builds)", [asset, "/", "/api/plan"]);

  const started = performance.now();
  const builds = seedBuildHistory(DATABASE, BUILDS_PER_IMAGE);
  console.log(`seeded ${builds} builds in ${Math.round(performance.now() - started)} ms`);
  const pages = await measure(`pages, ${builds} builds`, [asset, "/", "/images/lucid-session-api", "/api/plan", "/api/images/lucid-session-api"], ["/"]);
  goals[`GET / p50 ÷ static file p50, ${builds} builds`] = { measured: ratio(pages["GET /"]!.median, pages[`GET ${asset}`]!.median), goal: "≤ 3" };

  const seeding = performance.now();
  const services = seedHealthHistory(DATABASE, HEALTH_SAMPLES);
  console.log(`seeded ${HEALTH_SAMPLES} health samples over ${services} services in ${Math.round(performance.now() - seeding)} ms`);
  const health = await measure(`health, ${HEALTH_SAMPLES} samples over ${services} services`, ["/status", "/api/health", "/api/health/lucid-session-api"], ["/status", "/api/health"]);
  for (const path of ["/status", "/api/health"]) goals[`GET ${path} p95 (ms), ${HEALTH_SAMPLES} samples`] = { measured: health[`GET ${path}`]!.p95, goal: "< 100" };
} finally {
  await prisma.$disconnect();
  await server.stop();
}

// The database just measured on SQLite, copied to PostgreSQL and served from there.
const onPostgres = await benchPostgres(PORT + 3, DATABASE, ["/", "/images/lucid-session-api", "/status", "/api/health"], REQUESTS, WARMUP, smoke ? 500 : 30_000);
results[`PostgreSQL: the same database copied (lucid db copy: ${onPostgres.copy.rows} rows in ${onPostgres.copy.ms} ms), pages served from it`] = onPostgres.pages;
const { lagMs, ...logCost } = onPostgres.log;
results[`PostgreSQL: a build log of ${onPostgres.log.lines} lines (bursts of 100 every 10 ms) followed through another instance`] = { "lag behind the runner, ms": lagMs };
console.log(`log copy: ${JSON.stringify(logCost)}`);
goals[`build log followed through another instance: p95 lag (ms), ${onPostgres.log.lines} lines`] = { measured: lagMs.p95, goal: "< 1000" };
goals[`GET / p95 (ms) on PostgreSQL, ${BUILDS_PER_IMAGE * 35} builds`] = { measured: onPostgres.pages["GET /"]!.p95, goal: "beside SQLite's" };

results["rebuild latency, ms (stand-in buildx on PATH)"] = await benchRebuild(PORT + 1, "data/bench-rebuild.db", REBUILDS);
const throughput = await benchThroughput(PORT + 2, "data/bench-throughput.db", THROUGHPUT_CLIENTS, THROUGHPUT_MS, BUILDS_PER_IMAGE);
results[`sustained throughput, ${THROUGHPUT_MS / 1000} s per case, ${BUILDS_PER_IMAGE} builds per image (ms; every acknowledged write checked)`] = throughput;
const overview10 = throughput[`GET / (signed in), ${THROUGHPUT_CLIENTS[0]} clients`];
if (overview10) goals[`GET / (signed in) per second, ${THROUGHPUT_CLIENTS[0]} clients`] = { measured: overview10.perSecond, goal: "≥ 100" };
results["health sweep (goal: sweepMs <= 1.1 x timeoutMs)"] = await benchHealth(HEALTH);
results["compliance, the plan's Dockerfiles (goal: the 26 real ones < 200 ms)"] = { all: await benchCompliance(smoke ? 1 : 7) };
const big = benchBigDockerfile(smoke ? 1 : 5, smoke ? 2_000 : 32_000);
goals[`compliance: a ${(big.bytes / 1e6).toFixed(1)} MB Dockerfile analysed (ms)`] = { measured: big.medianMs, goal: "< 1000" };
const cli = benchComplianceCli(smoke ? 1 : 5, smoke ? 10 : 129);
goals[`npx lucid compliance on ${cli.files} Dockerfiles, wall (ms)`] = { measured: cli.medianMs, goal: "< 1000" };
const compose = benchCompose(smoke ? 1 : 7);
results["Compose files read, merged, matched and judged (goal: < 200 ms each)"] = compose;
goals["Compose: 1,000 services read and judged (ms)"] = { measured: compose["1,000 services"]!.medianMs, goal: "< 200" };
const supplyChain = await benchSupplyChain(smoke ? 1 : 5, smoke ? 50 : 2_000);
results["supply chain on a loopback docker-registry (median ms)"] = { [`${supplyChain.images} images, ${supplyChain.bases} bases`]: supplyChain };
goals[`supply chain: attestations and signatures of ${supplyChain.images} images read back (ms)`] = { measured: supplyChain.readBackMs, goal: "< 2000" };
goals[`supply chain: ${supplyChain.bases} bases checked by HEAD (ms)`] = { measured: supplyChain.baseCheckMs, goal: "< 2000" };
const scanImport = await benchScanImport(smoke ? 1 : 5, smoke ? 500 : 10_000);
goals[`vulnerabilities: a ${scanImport.findings.toLocaleString("en-US")}-finding Trivy report (${scanImport.megabytes} MB) imported (ms)`] = { measured: scanImport.medianMs, goal: "< 2000" };

console.log(`\nLucid dashboard benchmark${smoke ? " (smoke run: too few requests for figures)" : ""} (${REQUESTS} sequential requests per route after ${WARMUP} warm-up; times in ms)`);
for (const [label, table] of Object.entries(results)) {
  console.log(`\n${label}`);
  console.table(table);
}
console.log("\nspeed goals (figures, not pass/fail)");
console.table(goals);

const broken = Object.entries(throughput).filter(([, f]: [string, ThroughputFigure]) => f.errors > 0 || (f.missing ?? 0) > 0 || f.requests === 0);
if (broken.length > 0) {
  console.error(`\nbench: ${broken.map(([label, f]) => `${label}: ${f.errors} errors, ${f.missing ?? 0} acknowledged writes missing`).join("; ")}`);
  process.exit(1);
}
if (smoke) {
  console.log("\nbench smoke: every case ran");
} else {
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/latest.json", JSON.stringify({ date: new Date().toISOString(), requests: REQUESTS, goals, results }, null, 2));
}
