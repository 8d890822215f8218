// A health poller in a process of its own, for the takeover test (lib/builds/multi-instance.test.ts): it starts,
// says "holding" once it holds the lease, and runs until killed. Usage: tsx poller-process.ts DATABASE_URL INTERVAL_MS HOLDER
import { createPrismaClient } from "@/lib/db/client";
import { HealthPoller } from "@/lib/health/poller";

const [url, interval, holder] = process.argv.slice(2);
const db = createPrismaClient(url);
const poller = new HealthPoller(db, { intervalMs: Number(interval), timeoutMs: 500, threshold: 3, concurrency: 4, retentionDays: 7, maxBodyBytes: 65_536 }, async () => ({ outcome: "up", httpStatus: 200, latencyMs: 1, error: null }), holder);
await poller.start({});
const wait = setInterval(() => {
  if (!poller.isHolder) return;
  clearInterval(wait);
  process.stdout.write("holding\n");
}, 20);
