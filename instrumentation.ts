// Runs once when the Next.js server starts: the build worker and the health poller live as long as the server.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request is served: the sign-in limit and the audit log see the connection's address, not a header
  // the client chose, and unchanged pages are answered from the page cache (lib/server/front-door.ts).
  const { installFrontDoor } = await import("@/lib/server/front-door");
  await installFrontDoor();
  // A database file deleted or swapped under the server: stop rather than write into a file nobody will read.
  const { stopWhenDatabaseChanges } = await import("@/lib/db/watch");
  stopWhenDatabaseChanges();
  const { buildWorker } = await import("@/lib/builds/worker");
  await buildWorker().start();
  const { healthPoller } = await import("@/lib/health/poller");
  await healthPoller().start();
  // What the Pi runs, from its Docker Engine API, only when LUCID_DOCKER_HOST names one (off by default).
  const { enginePoller } = await import("@/lib/deploy/running/engine-poller");
  enginePoller()?.start();
  // Notifications: the outbox sender, and the watcher of drift and compliance (lib/commands/notifications.ts).
  const { notificationSender, notificationWatcher } = await import("@/lib/commands/notifications");
  notificationSender().start();
  notificationWatcher().start();
  // Base images and attestations, only when LUCID_BASE_CHECK_INTERVAL_MIN is set (off by default: it asks outside registries).
  const { baseCheckIntervalMinutes } = await import("@/lib/supply-chain/scheduler");
  const minutes = baseCheckIntervalMinutes();
  if (minutes !== null) {
    const [{ checkSupplyChainNow }, { PeriodicTask }] = await Promise.all([import("@/lib/commands/supply-chain"), import("@/lib/concurrency")]);
    new PeriodicTask("base image check failed", checkSupplyChainNow, minutes * 60_000).start();
  }
}
