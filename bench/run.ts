// `npm run bench`: response times of the production build on loopback. Figures, not pass/fail.
import { mkdirSync, writeFileSync } from "node:fs";
import { startServer } from "./server";
import { summarize, timeRequests } from "./stats";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const PORT = Number(process.env.BENCH_PORT ?? 3290);

const server = await startServer(PORT, "data/bench.db");
const results: Record<string, ReturnType<typeof summarize>> = {};
try {
  for (const path of ["/", "/api/plan"]) {
    results[`GET ${path}`] = summarize(await timeRequests(`${server.baseUrl}${path}`, REQUESTS));
  }
} finally {
  await server.stop();
}

console.log(`\nLucid dashboard benchmark: ${REQUESTS} sequential requests per route after 20 warm-up, loopback, default seed data`);
console.table(results);
mkdirSync("bench/results", { recursive: true });
writeFileSync("bench/results/latest.json", JSON.stringify({ date: new Date().toISOString(), requests: REQUESTS, results }, null, 2));
