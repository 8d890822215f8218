// For tests of route handlers: a migrated and seeded database in a temporary folder, made the app's own
// (DATABASE_URL, and lib/db/client.ts's client, which is opened on import and kept on globalThis), with a reading
// token, and every variable it set put back afterwards. Import the route modules after this resolves.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { deployMigrations } from "@/lib/db/migrations";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";
import { createToken } from "@/lib/tokens/tokens";

export type AppDatabase = { prisma: PrismaClient; dir: string; reader: string; restore: () => Promise<void> };

export async function useAppDatabase(name: string, env: Record<string, string | ((dir: string) => string)> = {}): Promise<AppDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), `lucid-${name}-`));
  const databaseUrl = `file:${path.join(dir, "route.db")}`;
  await deployMigrations({ databaseUrl });
  const values: Record<string, string> = { DATABASE_URL: databaseUrl };
  for (const [key, value] of Object.entries(env)) values[key] = typeof value === "function" ? value(dir) : value;
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  delete (globalThis as { lucidPrisma?: unknown }).lucidPrisma;
  const { prisma } = await import("@/lib/db/client");
  await seedDefaults(prisma);
  const reader = (await createToken(prisma, "reader")).token;
  return {
    prisma,
    dir,
    reader,
    restore: async () => {
      await prisma.$disconnect();
      delete (globalThis as { lucidPrisma?: unknown }).lucidPrisma;
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
