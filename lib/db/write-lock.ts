// SQLite starts a transaction as a reader: one that reads first and writes later upgrades its snapshot, and if
// another connection (the worker, the CLI, another instance) committed in between, the upgrade fails at once with
// SQLITE_BUSY, without waiting. A transaction that reads and then writes takes the write lock first instead, so it
// waits (busy_timeout) for the other writer and reads what that one committed. Prisma's interactive transactions
// cannot ask for BEGIN IMMEDIATE, hence a first statement that writes nothing but takes the lock.
import type { Prisma } from "@/lib/generated/prisma/client";

export async function takeWriteLock(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`UPDATE "Setting" SET "key" = "key" WHERE 0`;
}
