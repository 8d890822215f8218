import { createPrismaClient } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Runs a command against the migrated database; any error becomes one line and exit code 1. */
export async function withDatabase(action: (prisma: PrismaClient) => Promise<void>): Promise<number> {
  let prisma: PrismaClient | undefined;
  try {
    await deployMigrations();
    prisma = createPrismaClient();
    await action(prisma);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`lucid: ${message.split("\n")[0]}`);
    return 1;
  } finally {
    await prisma?.$disconnect();
  }
}
