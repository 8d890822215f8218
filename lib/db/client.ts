import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { BUSY_TIMEOUT_MS, databaseFilePath } from "@/lib/db/url";

export function createPrismaClient(url = process.env.DATABASE_URL, options: { readonly?: boolean } = {}): PrismaClient {
  const adapter = new PrismaBetterSqlite3(
    { url: databaseFilePath(url), timeout: BUSY_TIMEOUT_MS, readonly: options.readonly ?? false },
    { timestampFormat: "unixepoch-ms" },
  );
  return new PrismaClient({ adapter });
}

// One client per process; Next.js dev reloads modules, so keep it on globalThis.
const globalForPrisma = globalThis as unknown as { lucidPrisma?: PrismaClient };

export const prisma: PrismaClient = (globalForPrisma.lucidPrisma ??= createPrismaClient());
