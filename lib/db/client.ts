import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseFilePath } from "@/lib/db/url";

export function createPrismaClient(url = process.env.DATABASE_URL): PrismaClient {
  const adapter = new PrismaBetterSqlite3({ url: databaseFilePath(url) }, { timestampFormat: "unixepoch-ms" });
  return new PrismaClient({ adapter });
}

// One client per process; Next.js dev reloads modules, so keep it on globalThis.
const globalForPrisma = globalThis as unknown as { lucidPrisma?: PrismaClient };

export const prisma: PrismaClient = (globalForPrisma.lucidPrisma ??= createPrismaClient());
