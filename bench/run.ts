// `npm run bench`: response times of the production build on loopback. Figures, not pass/fail.
import { mkdirSync, writeFileSync } from "node:fs";
import { startServer } from "./server";
import { summarize, timeRequests, type Summary } from "./stats";
import { seedBuildHistory } from "./seed-history";
import { benchRebuild } from "./rebuild";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BUILDS_PER_IMAGE = Number(process.env.BENCH_BUILDS_PER_IMAGE ?? 2000);
const DATABASE = "data/bench.db";

const results: Record<string, Record<string, Summary>> = {};
const server = await startServer(PORT, DATABASE);
try {
  const measure = async (label: string, paths: string[]) => {
    results[label] = {};
    for (const path of paths) results[label]![`GET ${path}`] = summarize(await timeRequests(`${server.baseUrl}${path}`, REQUESTS));
  };

  await measure("default data (8 builds)", ["/", "/api/plan"]);

  const started = performance.now();
  const builds = seedBuildHistory(DATABASE, BUILDS_PER_IMAGE);
  console.log(`seeded ${builds} builds in ${Math.round(performance.now() - started)} ms`);
  await measure(`${builds} builds`, ["/", "/images/lucid-session-api", "/api/plan", "/api/images/lucid-session-api"]);
} finally {
  await server.stop();
}

results["rebuild latency (stand-in buildx on PATH)"] = await benchRebuild(PORT + 1, "data/bench-rebuild.db", Number(process.env.BENCH_REBUILDS ?? 20));

console.log(`\nLucid dashboard benchmark: ${REQUESTS} sequential requests per route after 20 warm-up, loopback (ms)`);
for (const [label, table] of Object.entries(results)) {
  console.log(`\n${label}`);
  console.table(table);
}
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", JSON.stringify({ date: new Date().toISOString(), requests: REQUESTS, results }, null, 2));
