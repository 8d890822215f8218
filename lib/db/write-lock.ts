// SQLite starts a transaction as a reader: one that reads first and writes later upgrades its snapshot, and if
// another connection (the worker, the CLI, another instance) committed in between, the upgrade fails at once with
// SQLITE_BUSY, without waiting. A transaction that reads and then writes takes the write lock first instead, so it
// waits (busy_timeout) for the other writer and reads what that one committed. Prisma's interactive transactions
// cannot ask for BEGIN IMMEDIATE, hence a first statement that writes nothing but takes the lock.
//
// PostgreSQL runs writers side by side at READ COMMITTED, so these read-then-write transactions (a build claimed
// once, a status moved from what was read) take one transaction-scoped advisory lock instead: the same one writer
// at a time, across every instance on the database, released at commit or rollback.
import type { Prisma } from "@/lib/generated/prisma/client";
import { isPostgres } from "@/lib/db/dialect";

/** The advisory lock's key: any constant the dashboard alone uses ("LUCIDWRT" as a 64-bit number). */
const WRITE_LOCK_KEY = 0x4c55434944575254n;

export async function takeWriteLock(tx: Prisma.TransactionClient): Promise<void> {
  if (isPostgres(tx)) await tx.$queryRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})::text`;
  else await tx.$executeRaw`UPDATE "Setting" SET "key" = "key" WHERE 0`;
}
