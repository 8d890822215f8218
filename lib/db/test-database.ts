import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { adminSql } from "@/lib/db/postgres-server";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export type TestDatabase = { prisma: PrismaClient; url: string; cleanup: () => Promise<void> };

/**
 * A migrated database for tests that need the real schema: a SQLite file in a temporary folder, or, when the run is
 * on PostgreSQL (vitest.setup-postgres.ts), a copy of the migrated template database on the run's server.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (process.env.LUCID_TEST_DATABASE === "postgresql") return createPostgresTestDatabase();
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

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const base = process.env.LUCID_TEST_POSTGRES_URL;
  const template = process.env.LUCID_TEST_POSTGRES_TEMPLATE;
  if (!base || !template) throw new Error("LUCID_TEST_DATABASE=postgresql needs the server vitest.setup-postgres.ts starts");
  const name = `lucid_test_${randomUUID().replaceAll("-", "")}`;
  await adminSql(base, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  const url = `${base}${name}`;
  const prisma = createPrismaClient(url);
  return {
    prisma,
    url,
    cleanup: async () => {
      await prisma.$disconnect();
      await adminSql(base, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/**
 * For `it.skipIf(onPostgres)`: tests of what only SQLite does (a read-only file, SQLITE_BUSY, PRAGMA data_version
 * and the caches keyed on it). PostgreSQL runs every other test.
 */
export const onPostgres = process.env.LUCID_TEST_DATABASE === "postgresql";
