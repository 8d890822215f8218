import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseFilePath } from "@/lib/db/url";

/**
 * How long a statement waits for another connection's write lock before failing with SQLITE_BUSY (better-sqlite3's
 * `timeout`). Set here rather than left to the driver's default: the CLI, the bench and the server share the file.
 */
export const BUSY_TIMEOUT_MS = 5_000;

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
