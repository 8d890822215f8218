// `npm run bench`: the dashboard's speed goals, measured on loopback. Figures, not pass/fail.
import { mkdirSync, writeFileSync } from "node:fs";
import { startServer } from "./server";
import { summarize, timeRequests, type Summary } from "./stats";
import { seedBuildHistory } from "./seed-history";
import { benchRebuild } from "./rebuild";
import { benchHealth } from "./health";
import { benchCompliance } from "./compliance";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BUILDS_PER_IMAGE = Number(process.env.BENCH_BUILDS_PER_IMAGE ?? 2000);
const DATABASE = "data/bench.db";

const results: Record<string, Record<string, unknown>> = {};
const server = await startServer(PORT, DATABASE);
try {
  const measure = async (label: string, paths: string[]) => {
    const table: Record<string, Summary> = {};
    // As a signed-in admin: every request pays for the session check (proxy and page or route).
    for (const path of paths) table[`GET ${path}`] = summarize(await timeRequests(`${server.baseUrl}${path}`, REQUESTS, 20, { cookie: server.cookie }));
    results[label] = table;
  };

  await measure("pages, default data (8 builds)", ["/", "/api/plan"]);

  const started = performance.now();
  const builds = seedBuildHistory(DATABASE, BUILDS_PER_IMAGE);
  console.log(`seeded ${builds} builds in ${Math.round(performance.now() - started)} ms`);
  await measure(`pages, ${builds} builds`, ["/", "/images/lucid-session-api", "/api/plan", "/api/images/lucid-session-api"]);
} finally {
  await server.stop();
}

results["rebuild latency, ms (stand-in buildx on PATH)"] = await benchRebuild(PORT + 1, "data/bench-rebuild.db", Number(process.env.BENCH_REBUILDS ?? 20));
results["health sweep (goal: sweepMs <= 1.1 x timeoutMs)"] = await benchHealth();
results["compliance, 26 fixture Dockerfiles (goal: < 200 ms)"] = { all: await benchCompliance() };

console.log(`\nLucid dashboard benchmark (${REQUESTS} sequential requests per route after 20 warm-up; times in ms)`);
for (const [label, table] of Object.entries(results)) {
  console.log(`\n${label}`);
  console.table(table);
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", JSON.stringify({ date: new Date().toISOString(), requests: REQUESTS, results }, null, 2));
