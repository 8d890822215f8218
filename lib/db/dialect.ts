// The few places SQL differs between the engines ask the client (or transaction) which one it talks to. Both
// generated clients carry their provider; a transaction client reads it from the client it was opened on.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

export function isPostgres(db: PrismaClient | Prisma.TransactionClient): boolean {
  return (db as unknown as { _activeProvider?: string })._activeProvider === "postgresql";
}
