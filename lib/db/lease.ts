// Leases: a job only one instance on the database may run (the health poller), and each instance's liveness. A lease
// is taken when free, expired or already ours, in one statement, so two instances asking at once cannot both get it.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { isPostgres } from "@/lib/db/dialect";

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * Whether other instances may share this database and leases are needed: only PostgreSQL's. A SQLite file is served
 * by one process, which holds every job without asking, and renewing a lease there would be a write every few
 * seconds that empties the read-model caches (lib/db/changes.ts) for nothing.
 */
export function instancesMayShare(db: Db): boolean {
  return isPostgres(db);
}

/** Takes or renews `name` for `holder` until now + ttlMs; false while another holder's lease runs. */
export async function tryLease(db: Db, name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  const until = new Date(now.getTime() + ttlMs);
  await db.$executeRaw`INSERT INTO "Lease" ("name", "holder", "until") VALUES (${name}, ${holder}, ${until})
    ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "until" = excluded."until"
    WHERE "Lease"."holder" = excluded."holder" OR "Lease"."until" < ${now}`;
  const row = await db.lease.findUnique({ where: { name }, select: { holder: true } });
  return row?.holder === holder;
}

/** Gives `name` up at once (a clean stop), so another instance need not wait for it to run out. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  await db.lease.deleteMany({ where: { name, holder } });
}

/** Holders of `prefix`-named leases still running at `now`. */
export async function liveHolders(db: Db, prefix: string, now = new Date()): Promise<Set<string>> {
  const rows = await db.lease.findMany({ where: { name: { startsWith: prefix }, until: { gte: now } }, select: { name: true } });
  return new Set(rows.map((r) => r.name.slice(prefix.length)));
}

/** The lease as it stands, or null when nobody holds it. */
export async function leaseOf(db: Db, name: string): Promise<{ holder: string; until: Date } | null> {
  return db.lease.findUnique({ where: { name }, select: { holder: true, until: true } });
}
