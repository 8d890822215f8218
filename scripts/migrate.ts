// Database migrations for prisma/schema.prisma, without the Prisma CLI (whose native schema engine
// cannot be downloaded here; lib/db/migrations.ts drives its WebAssembly build instead).
//
//   tsx scripts/migrate.ts deploy         apply pending migrations to DATABASE_URL (SQLite or PostgreSQL)  (npm run db:deploy)
//   tsx scripts/migrate.ts create NAME    write <timestamp>_NAME in prisma/migrations and prisma/postgresql/migrations
//   tsx scripts/migrate.ts status         applied / pending migrations of DATABASE_URL                     (npm run db:status)
//   tsx scripts/migrate.ts check          fail when the schema has changes the migrations of either engine do not cover
//
// create and check replay the PostgreSQL migrations on LUCID_SHADOW_DATABASE_URL, or on a throwaway server started
// from Debian's postgresql package (lib/db/postgres-server.ts) when it is unset.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import {
  checkDrift,
  createMigration,
  deployMigrations,
  migrationStatus,
  type MigrationOptions,
  type MigrationStatus,
} from "../lib/db/migrations";
import { postgresAvailable, startPostgres } from "../lib/db/postgres-server";

// Relative paths (the schema, the migrations, a relative DATABASE_URL) are taken from the project
// root whatever the working directory, so the script behaves the same when run from a subfolder.
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const options: MigrationOptions = { projectRoot };

function relative(file: string): string {
  const rel = path.relative(projectRoot, file);
  return rel.startsWith("..") ? file : rel;
}

function listLines(names: string[]): string[] {
  return names.map((name) => `  ${name}`);
}

async function deploy(): Promise<number> {
  const { databaseFile, applied } = await deployMigrations(options);
  if (applied.length === 0) {
    console.log(`No pending migrations; ${relative(databaseFile)} is up to date.`);
  } else {
    console.log([`Applied ${applied.length} migration(s) to ${relative(databaseFile)}:`, ...listLines(applied)].join("\n"));
  }
  return 0;
}

/** Runs `work` with a PostgreSQL database to replay migrations on: LUCID_SHADOW_DATABASE_URL, or a throwaway server. */
async function withShadow<T>(work: (url: string) => Promise<T>): Promise<T> {
  const given = process.env.LUCID_SHADOW_DATABASE_URL?.trim();
  if (given) return work(given);
  if (!postgresAvailable()) {
    throw new Error("The PostgreSQL migrations need a PostgreSQL server to be replayed on: install postgresql (apt-get install postgresql) or set LUCID_SHADOW_DATABASE_URL");
  }
  const server = await startPostgres();
  try {
    return await work(await server.createDatabase("lucid_shadow"));
  } finally {
    await server.stop();
  }
}

async function create(name: string): Promise<number> {
  const sqlite = await createMigration(name, { ...options, engine: "sqlite" });
  const postgresql = await withShadow((shadowDatabaseUrl) => createMigration(name, { ...options, engine: "postgresql", shadowDatabaseUrl }));
  if (!sqlite.created && !postgresql.created) {
    console.log("No changes: the migrations already match prisma/schema.prisma. Nothing was written.");
    return 0;
  }
  for (const result of [sqlite, postgresql]) if (result.created) console.log(`Created ${relative(path.join(result.directory, "migration.sql"))}.`);
  console.log("Review them, then apply with: npm run db:deploy");
  return 0;
}

function describeStatus(status: MigrationStatus): string[] {
  const lines = [
    `Database: ${relative(status.databaseFile)}${status.databaseExists ? "" : " (does not exist yet)"}`,
    `Applied (${status.applied.length}):`,
    ...listLines(status.applied),
    `Pending (${status.pending.length}):`,
    ...listLines(status.pending),
  ];
  const problems: [string, string[]][] = [
    ["Failed (must be resolved before deploying)", status.failed],
    ["Edited after they were applied", status.edited],
    ["Applied but missing from prisma/migrations", status.missingFromFolder],
  ];
  for (const [title, names] of problems) {
    if (names.length > 0) lines.push(`${title} (${names.length}):`, ...listLines(names));
  }
  return lines;
}

/** Like `prisma migrate status`, exits 1 unless the database is up to date and healthy. */
async function status(): Promise<number> {
  const result = await migrationStatus(options);
  for (const line of describeStatus(result)) console.log(line);
  const upToDate =
    result.pending.length + result.failed.length + result.edited.length + result.missingFromFolder.length === 0;
  console.log(upToDate ? "Database schema is up to date." : "Run npm run db:deploy to apply pending migrations.");
  return upToDate ? 0 : 1;
}

async function check(): Promise<number> {
  const drift = [
    { folder: "prisma/migrations", sql: await checkDrift({ ...options, engine: "sqlite" }) },
    { folder: "prisma/postgresql/migrations", sql: await withShadow((shadowDatabaseUrl) => checkDrift({ ...options, engine: "postgresql", shadowDatabaseUrl })) },
  ];
  let status = 0;
  for (const { folder, sql } of drift) {
    if (sql === "") {
      console.log(`No drift: ${folder} matches prisma/schema.prisma.`);
      continue;
    }
    status = 1;
    console.log(`Drift: prisma/schema.prisma has changes that no migration in ${folder} covers.`);
    console.log("SQL that a new migration would contain:\n");
    console.log(sql);
  }
  if (status === 1) console.log("To fix it, run npm run db:migrate -- <name>");
  return status;
}

/** Prints errors as one clear message (no stack unless DEBUG is set) and sets the exit code. */
function command<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args) => {
    try {
      process.exitCode = await action(...args);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`error: ${message}`);
      if (process.env.DEBUG && error instanceof Error) console.error(error.stack);
      process.exitCode = 1;
    }
  };
}

const program = new Command("migrate")
  .description("Prisma migrations for prisma/schema.prisma (database: DATABASE_URL, default file:./data/lucid.db)")
  .showHelpAfterError();

program.command("deploy").description("apply every pending migration").action(command(deploy));
program
  .command("create")
  .description("write a new migration with the changes in prisma/schema.prisma")
  .argument("<name>", "what the migration does, e.g. add_build_notes")
  .action(command((name: string) => create(name)));
program
  .command("status")
  .description("list applied and pending migrations (exit 1 unless up to date)")
  .action(command(status));
program
  .command("check")
  .description("exit 1 when prisma/schema.prisma has changes the SQLite or PostgreSQL migrations do not cover")
  .action(command(check));

await program.parseAsync(process.argv);
