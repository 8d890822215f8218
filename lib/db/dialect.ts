// The few places SQL differs between the engines ask the client (or transaction) which one it talks to. Both
// generated clients carry their provider; a transaction client reads it from the client it was opened on.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

export function isPostgres(db: PrismaClient | Prisma.TransactionClient): boolean {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql";
}

/**
 * `contains`, ignoring ASCII case as SQLite's LIKE does; PostgreSQL's is case-sensitive unless asked (the SQLite
 * client's types have no `mode`, hence the cast).
 */
export function containsIgnoringCase(db: PrismaClient | Prisma.TransactionClient, value: string): Prisma.StringFilter {
  return (isPostgres(db) ? { contains: value, mode: "insensitive" } : { contains: value }) as Prisma.StringFilter;
}
