// A build worker in a process of its own, for the restart test in lib/builds/worker.test.ts:
//   tsx lib/builds/testing/worker-process.ts DATABASE_URL SETTINGS_JSON READY_FILE [LEASE_OPTIONS_JSON]
// Starts a BuildWorker on that database (with the test's liveness lease timing), then writes this process's pid to
// READY_FILE. The test SIGKILLs
// that pid mid-build (tsx runs this file in a child of its own, so the pid is written from here).
import { writeFileSync } from "node:fs";
import { createPrismaClient } from "@/lib/db/client";
import type { RunnerSettings } from "@/lib/builds/settings";
import { BuildWorker } from "@/lib/builds/worker";

const [databaseUrl, settingsJson, readyFile, leaseJson] = process.argv.slice(2);
if (!databaseUrl || !settingsJson || !readyFile) {
  console.error("usage: worker-process.ts DATABASE_URL SETTINGS_JSON READY_FILE");
  process.exit(2);
}

const leases = JSON.parse(leaseJson ?? "{}") as { aliveEveryMs?: number; aliveForMs?: number };
const worker = new BuildWorker(createPrismaClient(databaseUrl), JSON.parse(settingsJson) as RunnerSettings, leases);
await worker.start();
writeFileSync(readyFile, String(process.pid));
// The worker's poll timer is unref'd (it lives as long as the server); this keeps the process up.
setInterval(() => {}, 60_000);
process.once("SIGTERM", () => {
  void worker.stop().then(() => process.exit(0));
});
