// Which dashboard this is: its database, its instance id and, where several instances share a PostgreSQL database,
// the ones alive and the one running the health poller, as their leases say (lib/db/lease.ts).
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseEngine, redactedUrl, type DatabaseEngine } from "@/lib/db/engine";
import { databaseFilePath } from "@/lib/db/url";
import { instancesMayShare } from "@/lib/db/lease";
import { buildWorker, INSTANCE_LEASE } from "@/lib/builds/worker";
import { POLLER_LEASE } from "@/lib/health/poller";
import { instance, instanceOfHolder, processHolder } from "@/lib/server/instance";

export type DashboardInstances = {
  engine: DatabaseEngine;
  /** The SQLite file, or the PostgreSQL URL without its password. */
  database: string;
  here: string;
  /** Whether other instances may share the database (PostgreSQL); on SQLite this process does everything. */
  shared: boolean;
  /**
   * Instances whose liveness lease holds (this one included once its worker has started), by id; `thisProcess` only
   * for the lease this process holds (another process given the same id is not this one).
   */
  alive: { id: string; until: string; thisProcess: boolean }[];
  /** Who runs the health poller now; null when no instance holds it (or on SQLite, where this process does). */
  poller: { id: string; thisProcess: boolean } | null;
  /** Why this process runs no builds (another live process has its instance id); null when it runs them. */
  buildsRefused: string | null;
};

export async function dashboardInstances(
  db: PrismaClient,
  url = process.env.DATABASE_URL,
  now = new Date(),
  worker: { refused: string | null } = buildWorker(),
): Promise<DashboardInstances> {
  const engine = databaseEngine(url);
  const here = instance().id;
  const database = engine === "postgresql" ? redactedUrl(url!.trim()) : databaseFilePath(url);
  const buildsRefused = worker.refused;
  if (!instancesMayShare(db)) return { engine, database, here, shared: false, alive: [], poller: null, buildsRefused };
  const leases = await db.lease.findMany({ where: { until: { gte: now }, OR: [{ name: { startsWith: INSTANCE_LEASE } }, { name: POLLER_LEASE }] }, orderBy: { name: "asc" } });
  const mine = processHolder();
  const poller = leases.find((l) => l.name === POLLER_LEASE);
  return {
    engine,
    database,
    here,
    shared: true,
    alive: leases
      .filter((l) => l.name.startsWith(INSTANCE_LEASE))
      .map((l) => ({ id: l.name.slice(INSTANCE_LEASE.length), until: l.until.toISOString(), thisProcess: l.holder === mine })),
    poller: poller ? { id: instanceOfHolder(poller.holder), thisProcess: poller.holder === mine } : null,
    buildsRefused,
  };
}
