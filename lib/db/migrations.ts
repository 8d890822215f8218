// Prisma migrations without the Prisma CLI. The CLI insists on downloading a native schema engine,
// which cannot be fetched here, so this module drives the same engine compiled to WebAssembly
// (@prisma/schema-engine-wasm, pinned to the CLI's engine hash) through a driver adapter: better-sqlite3 for
// SQLite, pg for PostgreSQL. Folder layout, migration_lock.toml and `_prisma_migrations` rows match the CLI's.
// Both engines' migrations come from the one schema (prisma/schema.prisma; lib/db/schema-variants.mjs derives
// the PostgreSQL variant), each in its own folder: prisma/migrations and prisma/postgresql/migrations.
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type {
  DiffTarget,
  MigrationDirectory,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
  SchemasContainer,
} from "@prisma/schema-engine-wasm/schema_engine_bg";
import Database from "better-sqlite3";
import { databaseFilePath } from "./url";
import { checkBeforeStart } from "@/lib/db/preflight";
import { databaseEngine, redactedUrl, type DatabaseEngine } from "@/lib/db/engine";
import { POSTGRESQL_MIGRATIONS_DIR, postgresqlSchema } from "@/lib/db/schema-variants.mjs";

export interface MigrationOptions {
  /** Base for the relative defaults below and for a relative DATABASE_URL. Default: cwd. */
  projectRoot?: string;
  /** Default: `<projectRoot>/prisma/schema.prisma`. */
  schemaPath?: string;
  /** Default: `migrations` beside the schema file. */
  migrationsDir?: string;
  /** A `file:` or `postgresql://` URL. Default: env DATABASE_URL, then `file:./data/lucid.db`. */
  databaseUrl?: string;
  /** Which engine's migrations (create, check); default: the engine of databaseUrl. */
  engine?: DatabaseEngine;
  /**
   * PostgreSQL only (create, check): an empty database the history is replayed on, as the CLI's shadow database.
   * SQLite replays on an in-memory database instead.
   */
  shadowDatabaseUrl?: string;
}

export interface DeployResult {
  /** The SQLite file, or the PostgreSQL URL without its password. */
  databaseFile: string;
  applied: string[];
}

export type CreateMigrationResult =
  | { created: true; name: string; directory: string; sql: string }
  | { created: false };

export interface MigrationStatus {
  databaseFile: string;
  databaseExists: boolean;
  /** Finished migrations, in folder order. */
  applied: string[];
  /** Migrations in the folder that the database has not run. */
  pending: string[];
  /** Migrations that started but did not finish; deploy refuses to run until they are resolved. */
  failed: string[];
  /** Applied migrations whose migration.sql no longer matches the recorded checksum. */
  edited: string[];
  /** Applied migrations that are missing from the folder. */
  missingFromFolder: string[];
}

class MigrationError extends Error {
  override name = "MigrationError";
}

const LOCKFILE_NAME = "migration_lock.toml";
const MIGRATION_FILE_NAME = "migration.sql";
const MAX_MIGRATION_NAME_LENGTH = 200; // as the CLI truncates
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

interface ResolvedPaths {
  engine: DatabaseEngine;
  schemaPath: string;
  migrationsDir: string;
  databaseUrl: string | undefined;
  shadowDatabaseUrl: string | undefined;
  projectRoot: string;
}

function resolvePaths(opts: MigrationOptions = {}): ResolvedPaths {
  const projectRoot = path.resolve(opts.projectRoot ?? process.cwd());
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
  const engine = opts.engine ?? databaseEngine(databaseUrl);
  const schemaPath = path.resolve(projectRoot, opts.schemaPath ?? "prisma/schema.prisma");
  const defaultMigrations = engine === "postgresql" ? path.resolve(projectRoot, POSTGRESQL_MIGRATIONS_DIR) : path.join(path.dirname(schemaPath), "migrations");
  const migrationsDir = path.resolve(projectRoot, opts.migrationsDir ?? defaultMigrations);
  return { engine, projectRoot, schemaPath, migrationsDir, databaseUrl, shadowDatabaseUrl: opts.shadowDatabaseUrl };
}

/** Where migrations are applied or replayed: a SQLite file (or ":memory:") or a PostgreSQL database. */
type Target = { engine: "sqlite"; file: string } | { engine: "postgresql"; url: string };

const targetLabel = (target: Target) => (target.engine === "sqlite" ? target.file : redactedUrl(target.url));

function databaseTarget(paths: ResolvedPaths): Target {
  if (paths.engine === "postgresql") {
    if (!paths.databaseUrl || databaseEngine(paths.databaseUrl) !== "postgresql") throw new MigrationError("DATABASE_URL must be a postgresql:// URL for PostgreSQL migrations");
    return { engine: "postgresql", url: paths.databaseUrl };
  }
  return { engine: "sqlite", file: databaseFilePath(paths.databaseUrl, paths.projectRoot) };
}

/** Where the history is replayed to compare or create: in memory for SQLite, the shadow database for PostgreSQL. */
function shadowTarget(paths: ResolvedPaths): Target {
  if (paths.engine === "sqlite") return { engine: "sqlite", file: ":memory:" };
  if (!paths.shadowDatabaseUrl) {
    throw new MigrationError("PostgreSQL migrations are compared on an empty shadow database: set LUCID_SHADOW_DATABASE_URL (scripts/migrate.ts starts a throwaway server when PostgreSQL is installed)");
  }
  return { engine: "postgresql", url: paths.shadowDatabaseUrl };
}

// ---------------------------------------------------------------------------------------------
// Public operations
// ---------------------------------------------------------------------------------------------

/** Applies every pending migration to the database (creating the file and its folder). */
export async function deployMigrations(opts: MigrationOptions = {}): Promise<DeployResult> {
  const paths = resolvePaths(opts);
  const target = databaseTarget(paths);
  const databaseFile = targetLabel(target);
  const migrations = await readMigrationsFolder(paths.migrationsDir, paths.engine);
  // Nothing to apply: the engine is not started. It takes an exclusive lock on the database, which a running
  // server's WAL connection never lets it have, so every CLI command would otherwise fail while the server runs.
  if (target.engine === "postgresql" || existsSync(target.file)) {
    const history = compareHistory(migrations.migrationDirectories, await readMigrationRecords(target));
    if ([history.pending, history.failed, history.edited, history.missingFromFolder].every((list) => list.length === 0)) {
      return { databaseFile, applied: [] };
    }
  }
  if (target.engine === "sqlite") {
    // Whoever applies migrations (the start, the CLI, `npm run dev`) would create an empty file: never in place of
    // a database this dashboard used before (lib/db/preflight.ts).
    checkBeforeStart(target.file);
    await prepareDatabaseFolder(target.file);
  }
  const output = await withEngine(target, (session) =>
    session.run(`Applying migrations to ${databaseFile}`, (engine) =>
      engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTER }),
    ),
  );
  return { databaseFile, applied: output.appliedMigrationNames };
}

/**
 * Writes `<migrationsDir>/<YYYYMMDDHHMMSS>_<name>/migration.sql` with the SQL that brings the
 * migration history up to the schema, plus migration_lock.toml. No database is needed: the
 * history is replayed on in-memory databases. Returns `{ created: false }` when nothing changed.
 */
export async function createMigration(name: string, opts: MigrationOptions = {}): Promise<CreateMigrationResult> {
  const migrationName = formatMigrationName(name);
  const paths = resolvePaths(opts);
  const schema = await readSchema(paths.schemaPath, paths.engine);
  const migrations = await readMigrationsFolder(paths.migrationsDir, paths.engine);
  const output = await withEngine(shadowTarget(paths), async (session) => {
    // The engine's createMigration relies on state that devDiagnostic computes, and devDiagnostic
    // needs a `_prisma_migrations` table: so bring a throwaway database up to date first.
    await session.run("Replaying the existing migrations", (engine) =>
      engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTER }),
    );
    const diagnostic = await session.run("Checking the migration history", (engine) =>
      engine.devDiagnostic({ migrationsList: migrations, filters: NO_FILTER }),
    );
    if (diagnostic.action.tag === "reset") {
      throw new MigrationError(`The migration history cannot be replayed: ${diagnostic.action.reason}`);
    }
    return session.run("Creating the migration", (engine) =>
      engine.createMigration({ draft: false, migrationName, migrationsList: migrations, schema, filters: NO_FILTER }),
    );
  });
  if (output.migrationScript === null) return { created: false };
  assertSortsLast(output.generatedMigrationName, migrations);

  const directory = path.join(paths.migrationsDir, output.generatedMigrationName);
  await writeMigrationFolder(directory, output.migrationScript, output.extension);
  await writeLockfile(paths.migrationsDir, output.connectorType);
  return { created: true, name: output.generatedMigrationName, directory, sql: output.migrationScript };
}

/** Compares the migrations folder with the database's `_prisma_migrations` table (read-only). */
export async function migrationStatus(opts: MigrationOptions = {}): Promise<MigrationStatus> {
  const paths = resolvePaths(opts);
  const target = databaseTarget(paths);
  const migrations = await readMigrationsFolder(paths.migrationsDir, paths.engine);
  const databaseExists = target.engine === "postgresql" || existsSync(target.file);
  const records = databaseExists ? await readMigrationRecords(target) : [];
  return { databaseFile: targetLabel(target), databaseExists, ...compareHistory(migrations.migrationDirectories, records) };
}

/**
 * The SQL that would bring the migrations folder up to the schema; "" when they agree.
 * Needs no database: the migrations are replayed on an in-memory shadow database.
 */
export async function checkDrift(opts: MigrationOptions = {}): Promise<string> {
  const paths = resolvePaths(opts);
  const schema = await readSchema(paths.schemaPath, paths.engine);
  const migrations = await readMigrationsFolder(paths.migrationsDir, paths.engine);
  // The engine can only diff from a migrations folder that has a lockfile.
  const from: DiffTarget =
    migrations.migrationDirectories.length === 0
      ? { tag: "empty" }
      : { tag: "migrations", ...requireLockfile(migrations, paths.engine) };
  const result = await withEngine(shadowTarget(paths), (session) =>
    session.run("Comparing the schema with the migrations", (engine) =>
      engine.diff({ from, to: { tag: "schemaDatamodel", ...schema }, script: true, exitCode: true, filters: NO_FILTER }),
    ),
  );
  // exitCode 2 means "the diff is not empty" (the engine's --exit-code convention).
  return result.exitCode === 2 ? `${(result.stdout ?? "").trim()}\n` : "";
}

/** The name part of a migration folder, as the CLI derives it from `--name`. */
export function formatMigrationName(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_MIGRATION_NAME_LENGTH);
  if (slug === "") {
    throw new MigrationError(
      `A migration needs a name with letters or digits (got ${JSON.stringify(name)}), e.g. add_build_notes`,
    );
  }
  return slug;
}

/** sha256 of a migration.sql, as recorded in `_prisma_migrations.checksum`. */
function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql, "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

async function readSchema(schemaPath: string, engine: DatabaseEngine): Promise<SchemasContainer> {
  const content = await readFile(schemaPath, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new MigrationError(`Cannot read the Prisma schema at ${schemaPath}: ${error.message}`);
  });
  return { files: [{ path: schemaPath, content: engine === "postgresql" ? postgresqlSchema(content) : content }] };
}

/** The migrations folder as the engine expects it, built the way the Prisma CLI builds it. */
async function readMigrationsFolder(migrationsDir: string, engine: DatabaseEngine): Promise<MigrationList> {
  const lockfileContent = await readFile(path.join(migrationsDir, LOCKFILE_NAME), "utf8").catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw new MigrationError(`Cannot read the migrations folder ${migrationsDir}: ${error.message}`);
  });
  const directories = await Promise.all(
    entries.filter((entry) => entry.isDirectory()).map((entry) => readMigrationDirectory(migrationsDir, entry.name)),
  );
  const migrations: MigrationList = {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE_NAME, content: lockfileContent },
    shadowDbInitScript: "",
    migrationDirectories: directories.sort((a, b) => a.path.localeCompare(b.path)),
  };
  assertLockfileProvider(migrations, engine);
  return migrations;
}

async function readMigrationDirectory(migrationsDir: string, name: string): Promise<MigrationDirectory> {
  const content = await readFile(path.join(migrationsDir, name, MIGRATION_FILE_NAME), "utf8").then(
    (value) => ({ tag: "ok" as const, value }),
    (error: Error) => ({ tag: "error" as const, value: error.message }),
  );
  return { path: name, migrationFile: { path: MIGRATION_FILE_NAME, content } };
}

function requireLockfile(migrations: MigrationList, engine: DatabaseEngine): MigrationList {
  if (migrations.lockfile.content === null) {
    throw new MigrationError(
      `${path.join(migrations.baseDir, LOCKFILE_NAME)} is missing; it must contain: provider = "${engine}"`,
    );
  }
  return migrations;
}

/** A lockfile for another provider makes the engine misparse the migrations, so refuse early. */
function assertLockfileProvider(migrations: MigrationList, engine: DatabaseEngine): void {
  const content = migrations.lockfile.content;
  if (content === null) return;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(content)?.[1];
  if (provider !== engine) {
    throw new MigrationError(
      `${path.join(migrations.baseDir, LOCKFILE_NAME)} names provider ${JSON.stringify(provider ?? null)}; ` +
        `these migrations are for "${engine}"`,
    );
  }
}

async function prepareDatabaseFolder(databaseFile: string): Promise<void> {
  const folder = path.dirname(databaseFile);
  await mkdir(folder, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new MigrationError(`Cannot create the database folder ${folder}: ${error.message}`);
  });
}

/**
 * Migrations run in name order and names start with the current UTC time, so a second migration
 * created within the same second, or on a machine whose clock is behind the last migration's,
 * would run too early.
 */
function assertSortsLast(name: string, migrations: MigrationList): void {
  const last = migrations.migrationDirectories.at(-1)?.path;
  if (last !== undefined && name.localeCompare(last) <= 0) {
    throw new MigrationError(
      `The new migration ${name} would sort before the existing ${last}, so it would run too early. ` +
        "Check the system clock, or wait a second and create it again.",
    );
  }
}

async function writeMigrationFolder(directory: string, script: string, extension: string): Promise<void> {
  if (existsSync(directory)) throw new MigrationError(`The migration folder ${directory} already exists`);
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, `migration.${extension}`), script, "utf8");
}

async function writeLockfile(migrationsDir: string, provider: string): Promise<void> {
  const content =
    "# Please do not edit this file manually\n" +
    "# It should be added in your version-control system (e.g., Git)\n" +
    `provider = "${provider}"\n`;
  await writeFile(path.join(migrationsDir, LOCKFILE_NAME), content, "utf8");
}

// ---------------------------------------------------------------------------------------------
// Migration history in the database
// ---------------------------------------------------------------------------------------------

interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

async function readMigrationRecords(target: Target): Promise<MigrationRecord[]> {
  if (target.engine === "postgresql") return readPostgresMigrationRecords(target.url);
  const databaseFile = target.file;
  let db: Database.Database;
  try {
    db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new MigrationError(`Cannot open the database ${databaseFile}: ${(error as Error).message}`);
  }
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
    if (table === undefined) return [];
    return db
      .prepare(
        "SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
      )
      .all() as MigrationRecord[];
  } finally {
    db.close();
  }
}

async function readPostgresMigrationRecords(url: string): Promise<MigrationRecord[]> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new MigrationError(`Cannot connect to ${redactedUrl(url)}: ${(error as Error).message}`);
  }
  try {
    const table = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
    if (!table.rows[0]?.present) return [];
    const rows = await client.query("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at");
    return rows.rows as MigrationRecord[];
  } finally {
    await client.end();
  }
}

function compareHistory(
  directories: MigrationDirectory[],
  records: MigrationRecord[],
): Omit<MigrationStatus, "databaseFile" | "databaseExists"> {
  const live = records.filter((record) => record.rolled_back_at === null);
  const finished = new Map(live.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
  const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
  const folderNames = new Set(directories.map((d) => d.path));
  const edited = directories
    .filter((d) => {
      const record = finished.get(d.path);
      const file = d.migrationFile.content;
      return record !== undefined && file.tag === "ok" && migrationChecksum(file.value) !== record.checksum;
    })
    .map((d) => d.path);
  return {
    applied: directories.filter((d) => finished.has(d.path)).map((d) => d.path),
    pending: directories.filter((d) => !finished.has(d.path) && !failed.includes(d.path)).map((d) => d.path),
    failed,
    edited,
    missingFromFolder: [...finished.keys()].filter((name) => !folderNames.has(name)),
  };
}

// ---------------------------------------------------------------------------------------------
// The WebAssembly schema engine
// ---------------------------------------------------------------------------------------------

type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

let engineModule: Promise<EngineModule> | undefined;

/**
 * The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do
 * without a flag; so instantiate it by hand and hand it to the generated bindings.
 */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings: EngineModule = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(bindingsPath.replace(/\.js$/, ".wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start(): void };
    bindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bindings;
  })();
  return engineModule;
}

interface EngineSession {
  /** Runs one engine command; whatever it throws becomes a MigrationError that starts with `action`. */
  run<T>(action: string, command: (engine: SchemaEngine) => Promise<T>): Promise<T>;
}

/** Runs `work` with an engine bound to the target database, then frees everything. */
async function withEngine<T>(target: Target, work: (session: EngineSession) => Promise<T>): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const databaseFile = targetLabel(target);
  const connections = new ConnectionTracker(
    target.engine === "sqlite"
      ? new PrismaBetterSqlite3({ url: target.file }, { timestampFormat: "unixepoch-ms" })
      : new PrismaPg({ connectionString: target.url, max: 2, Client: CharAsTextClient }),
  );
  // A bare factory fails inside the engine ("reading '#config'"); the bound one also records
  // driver errors, which the engine reports only as "External error id#N".
  const factory = bindMigrationAwareSqlAdapterFactory(connections);
  const explain = (action: string, error: unknown) => toMigrationError(action, error, factory.errorRegistry);
  let engine: SchemaEngine;
  try {
    engine = await SchemaEngine.new({ datamodels: undefined }, () => {}, factory);
  } catch (error) {
    await connections.disposeAll();
    throw explain(`Opening ${databaseFile}`, error);
  }
  const session: EngineSession = {
    run: (action, command) => command(engine).catch((error: unknown) => Promise.reject(explain(action, error))),
  };
  try {
    return await work(session);
  } finally {
    engine.free();
    await connections.disposeAll();
  }
}

/**
 * The engine reads PostgreSQL's catalogs, whose flags (pg_class.relkind, pg_constraint.contype, …) have the type
 * "char" (OID 18), which @prisma/adapter-pg 7.10 does not map ("Column type 'char' could not be deserialized").
 * pg returns such a value as a one-letter string already: the result is described as text (OID 25) instead.
 */
class CharAsTextClient extends pg.Client {
  // The pool calls query(config, callback); a direct caller may use the promise form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const fix = (value: pg.QueryResult | undefined) => {
      for (const field of value?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
      return value;
    };
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (error: Error | null, value?: pg.QueryResult) => void;
      args[last] = (error: Error | null, value?: pg.QueryResult) => callback(error, fix(value));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as (...a: any[]) => any)(...args);
    return typeof result?.then === "function" ? result.then(fix) : result;
  }
}

/**
 * A fresh database beside the factory's, dropped when the engine lets go of it. PrismaPg's own connectToShadowDb
 * names the new database in the pool's options, which a connection string overrides: its shadow is the main database.
 */
async function postgresShadow(factory: PrismaPg): Promise<SqlDriverAdapter> {
  const main = await factory.connect();
  const name = `lucid_shadow_${randomUUID().replaceAll("-", "")}`;
  await main.executeScript(`CREATE DATABASE "${name}"`);
  const url = new URL((factory as unknown as { config: { connectionString: string } }).config.connectionString);
  url.pathname = `/${name}`;
  const shadow = await new PrismaPg({ connectionString: url.toString(), max: 2, Client: CharAsTextClient }).connect();
  return delegating(shadow, {
    dispose: async () => {
      await shadow.dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => main.dispose());
    },
  });
}

/**
 * Hands the engine better-sqlite3 connections and closes them afterwards (the engine takes an
 * exclusive lock on the main database that lasts as long as the connection).
 */
class ConnectionTracker implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider: "sqlite" | "postgres";
  readonly adapterName: string;
  readonly #open = new Set<SqlDriverAdapter>();

  constructor(private readonly factory: PrismaBetterSqlite3 | PrismaPg) {
    this.adapterName = factory.adapterName;
    this.provider = factory.provider;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return this.#track(await this.factory.connect());
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (this.factory instanceof PrismaPg) return this.#track(runArgumentlessSqlAsScript(await postgresShadow(this.factory)));
    return this.#track(runArgumentlessSqlAsScript(await this.factory.connectToShadowDb()));
  }

  async disposeAll(): Promise<void> {
    const open = [...this.#open];
    this.#open.clear();
    await Promise.allSettled(open.map((adapter) => adapter.dispose()));
  }

  #track(adapter: SqlDriverAdapter): SqlDriverAdapter {
    this.#open.add(adapter);
    return adapter;
  }
}

/**
 * The engine replays each migration file on the shadow database as one argument-less executeRaw,
 * and better-sqlite3 prepares one statement at a time ("contains more than one statement").
 * Argument-less SQL is never a parameterised query, so running it as a script is equivalent.
 */
function runArgumentlessSqlAsScript(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return delegating(adapter, {
    executeRaw: async (query) => {
      if (query.args.length > 0) return adapter.executeRaw(query);
      await adapter.executeScript(query.sql);
      return 0;
    },
  });
}

/** `adapter` with some of its methods replaced (the engine calls them unbound, so each is bound here). */
function delegating(adapter: SqlDriverAdapter, replaced: Partial<Pick<SqlDriverAdapter, "executeRaw" | "dispose">>): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (isolationLevel) => adapter.startTransaction(isolationLevel),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    dispose: () => adapter.dispose(),
    ...replaced,
  };
}

// ---------------------------------------------------------------------------------------------
// Engine errors
// ---------------------------------------------------------------------------------------------

const RECOVERY_HINT =
  "The database has kept whatever statements ran before the error, and the database records the migration " +
  "as failed, so later deploys stop until it is resolved: fix its migration.sql, undo its partial " +
  "changes, delete its row from _prisma_migrations (in development, simply delete the database file), " +
  "then deploy again.";

function toMigrationError(action: string, error: unknown, registry: ErrorRegistry): MigrationError {
  if (error instanceof MigrationError) return error;
  const raw = resolveDriverErrors(rawMessage(error), registry);
  const failedMigration = /migration_name="([^"]+)"/.exec(raw)?.[1];
  const message = stripSpanTrace(raw);
  if (failedMigration !== undefined && action.startsWith("Applying")) {
    return new MigrationError(`Migration ${failedMigration} failed: ${message}\n${RECOVERY_HINT}`, { cause: error });
  }
  if (message.includes("found failed migrations")) {
    return new MigrationError(`${action} refused: ${message}\n${RECOVERY_HINT}`, { cause: error });
  }
  const subject = failedMigration === undefined ? "" : ` (migration ${failedMigration})`;
  return new MigrationError(`${action} failed${subject}: ${message}`, { cause: error });
}

function rawMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}

/** The engine sees driver errors only by number; put the driver's own message back. */
function resolveDriverErrors(message: string, registry: ErrorRegistry): string {
  return message.replace(/External error id#(\d+)/g, (text, id: string) => {
    const record = registry.consumeError(Number(id));
    return record === undefined ? text : rawMessage(record.error);
  });
}

/** Drops the Rust span trace ("   0: crate::module ... at file.rs:113") the engine appends. */
function stripSpanTrace(message: string): string {
  return message
    .split("\n")
    .filter((line) => !/^\s+(\d+: \w+(::\w+)+|with \w+=|at [\w/.-]+\.rs:\d+)/.test(line))
    .join("\n")
    .trim();
}
