// Runs once when the Next.js server starts: the build worker and the health poller live as long as the server.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { buildWorker } = await import("@/lib/builds/worker");
  await buildWorker().start();
  const { healthPoller } = await import("@/lib/health/poller");
  await healthPoller().start();
}
