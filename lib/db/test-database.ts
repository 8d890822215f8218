import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** A migrated SQLite database in a temporary folder, for tests that need the real schema. */
export async function createTestDatabase(): Promise<{ prisma: PrismaClient; url: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "lucid-test-"));
  const databaseUrl = `file:${path.join(dir, "test.db")}`;
  await deployMigrations({ databaseUrl });
  const prisma = createPrismaClient(databaseUrl);
  return {
    prisma,
    url: databaseUrl,
    cleanup: async () => {
      await prisma.$disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
