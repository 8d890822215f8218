import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-postgresql/client";
import { databaseEngine } from "@/lib/db/engine";
import { BUSY_TIMEOUT_MS, databaseFilePath } from "@/lib/db/url";

/** Connections per instance to PostgreSQL (LUCID_DATABASE_POOL, default 10). */
function poolSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LUCID_DATABASE_POOL?.trim();
  if (!raw) return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new Error(`LUCID_DATABASE_POOL must be a whole number from 1 to 200, not ${JSON.stringify(raw)}`);
  return n;
}

export function createPrismaClient(url = process.env.DATABASE_URL, options: { readonly?: boolean } = {}): PrismaClient {
  if (databaseEngine(url) === "postgresql") {
    // The PostgreSQL client is generated from the same models (lib/db/schema-variants.mjs), so its API is the SQLite
    // client's: the rest of the app is typed against one of them.
    const adapter = new PrismaPg({ connectionString: url, max: poolSize(), connectionTimeoutMillis: BUSY_TIMEOUT_MS });
    return new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  }
  const adapter = new PrismaBetterSqlite3(
    { url: databaseFilePath(url), timeout: BUSY_TIMEOUT_MS, readonly: options.readonly ?? false },
    { timestampFormat: "unixepoch-ms" },
  );
  return new PrismaClient({ adapter });
}

// One client per process; Next.js dev reloads modules, so keep it on globalThis.
const globalForPrisma = globalThis as unknown as { lucidPrisma?: PrismaClient };

export const prisma: PrismaClient = (globalForPrisma.lucidPrisma ??= createPrismaClient());
