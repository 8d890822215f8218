// For tests of read models and domains: a fresh migrated database with the Lucid plan seeded, for every test of
// the file that calls it (vitest hooks), removed afterwards.
import { afterEach, beforeEach } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";

export function useSeededDatabase(): { readonly prisma: PrismaClient } {
  const current: { prisma: PrismaClient; cleanup: (() => Promise<void>) | null } = { prisma: undefined as never, cleanup: null };
  beforeEach(async () => {
    const db = await createTestDatabase();
    current.prisma = db.prisma;
    current.cleanup = db.cleanup;
    await seedDefaults(db.prisma);
  });
  afterEach(async () => current.cleanup?.());
  return current;
}
