// Moving a SQLite database's data into PostgreSQL (`npx lucid db copy --to postgresql://…`): the target is brought
// to the same migrations, must hold no data, and receives every table in one transaction, so a failed copy leaves
// it empty. Each table's row count is compared afterwards. Values are converted by the target column's type: SQLite
// keeps times as epoch milliseconds (lib/db/client.ts), booleans as 0/1 and JSON as text.
import Database from "better-sqlite3";
import pg from "pg";
import { deployMigrations, migrationStatus } from "@/lib/db/migrations";
import { redactedUrl } from "@/lib/db/engine";

export type TableCount = { table: string; source: number; target: number };
export type CopyResult = { tables: TableCount[]; rows: number; ms: number };

export class CopyError extends Error {
  override name = "CopyError";
}

/** Rows per INSERT: far below PostgreSQL's 65,535 bound values for the widest table (~30 columns). */
const ROWS_PER_STATEMENT = 500;
const MIGRATIONS_TABLE = "_prisma_migrations";

type Column = { name: string; type: string };
type Table = { name: string; columns: Column[]; serial: string | null };

export async function copySqliteToPostgres(sourceFile: string, targetUrl: string, options: { projectRoot?: string } = {}): Promise<CopyResult> {
  const started = Date.now();
  const label = redactedUrl(targetUrl);
  await assertSourceUpToDate(sourceFile, options.projectRoot);
  await deployMigrations({ databaseUrl: targetUrl, projectRoot: options.projectRoot });
  const source = new Database(sourceFile, { readonly: true, fileMustExist: true });
  const target = new pg.Client({ connectionString: targetUrl });
  await target.connect();
  try {
    const tables = await targetTables(target);
    const sourceTables = new Set((source.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]));
    const missing = tables.filter((t) => !sourceTables.has(t.name)).map((t) => t.name);
    if (missing.length > 0) throw new CopyError(`${sourceFile} has no table ${missing.join(", ")}: it is not a dashboard database at this version`);
    const occupied = [];
    for (const table of tables) if ((await target.query(`SELECT EXISTS (SELECT 1 FROM "${table.name}") AS "any"`)).rows[0].any) occupied.push(table.name);
    if (occupied.length > 0) throw new CopyError(`${label} already holds data (${occupied.slice(0, 5).join(", ")}${occupied.length > 5 ? ", …" : ""}): copy into an empty database`);

    // One read snapshot of the source (a running dashboard may keep writing to it) and one target transaction.
    source.prepare("BEGIN").run();
    await target.query("BEGIN");
    const counts: TableCount[] = [];
    try {
      for (const table of tables) counts.push({ table: table.name, source: await copyTable(source, target, table), target: 0 });
      for (const table of tables.filter((t) => t.serial !== null)) {
        await target.query(`SELECT setval($1, COALESCE((SELECT MAX("id") FROM "${table.name}"), 0) + 1, false)`, [table.serial]);
      }
      await target.query("COMMIT");
    } catch (error) {
      await target.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      source.prepare("COMMIT").run();
    }
    for (const count of counts) count.target = Number((await target.query(`SELECT COUNT(*) AS "n" FROM "${count.table}"`)).rows[0].n);
    return { tables: counts, rows: counts.reduce((sum, c) => sum + c.source, 0), ms: Date.now() - started };
  } finally {
    source.close();
    await target.end();
  }
}

/** The target's tables, parents before children (foreign keys), with their columns' types and id sequences. */
async function targetTables(target: pg.Client): Promise<Table[]> {
  const columns = await target.query<{ table: string; column: string; type: string }>(
    `SELECT table_name AS "table", column_name AS "column", CASE WHEN data_type = 'USER-DEFINED' THEN 'enum' ELSE data_type END AS "type"
     FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> $1 ORDER BY table_name, ordinal_position`,
    [MIGRATIONS_TABLE],
  );
  const edges = await target.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS "child", c.confrelid::regclass::text AS "parent" FROM pg_constraint c
     JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  const serials = await target.query<{ table: string; sequence: string | null }>(
    `SELECT table_name AS "table", pg_get_serial_sequence(format('%I', table_name), 'id') AS "sequence"
     FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' AND column_default LIKE 'nextval%'`,
  );
  const byName = new Map<string, Table>();
  for (const c of columns.rows) {
    const table = byName.get(c.table) ?? { name: c.table, columns: [], serial: null };
    table.columns.push({ name: c.column, type: c.type });
    byName.set(c.table, table);
  }
  for (const s of serials.rows) if (byName.has(s.table)) byName.get(s.table)!.serial = s.sequence;
  const unquote = (name: string) => name.replace(/^"|"$/g, "");
  const parents = new Map<string, Set<string>>();
  for (const e of edges.rows) {
    const child = unquote(e.child);
    const parent = unquote(e.parent);
    if (child !== parent) parents.set(child, (parents.get(child) ?? new Set()).add(parent));
  }
  const ordered: Table[] = [];
  const placed = new Set<string>();
  const visit = (name: string, path: Set<string>) => {
    if (placed.has(name) || !byName.has(name)) return;
    if (path.has(name)) throw new CopyError(`the foreign keys between ${[...path].join(", ")} form a cycle`);
    path.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent, path);
    path.delete(name);
    placed.add(name);
    ordered.push(byName.get(name)!);
  };
  for (const name of [...byName.keys()].sort()) visit(name, new Set());
  return ordered;
}

/** The source must be at the schema the target was migrated to: every SQLite migration applied, none pending. */
async function assertSourceUpToDate(sourceFile: string, projectRoot: string | undefined): Promise<void> {
  const status = await migrationStatus({ databaseUrl: `file:${sourceFile}`, projectRoot, engine: "sqlite" });
  if (status.applied.length === 0) throw new CopyError(`${sourceFile} has no migrations applied: it is not a dashboard database`);
  const behind = [...status.pending, ...status.failed];
  if (behind.length > 0) throw new CopyError(`${sourceFile} is not up to date (${behind.length} migration(s) not applied, e.g. ${behind[0]}): start the dashboard on it once, or run npm run db:deploy with DATABASE_URL on it, then copy`);
}

function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type.startsWith("timestamp")) return typeof value === "number" || typeof value === "bigint" ? new Date(Number(value)) : new Date(String(value));
  if (type === "boolean") return value === 1 || value === 1n || value === true || value === "1" || value === "true";
  if (type === "jsonb" || type === "json") return typeof value === "string" ? value : JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  return value;
}

async function copyTable(source: Database.Database, target: pg.Client, table: Table): Promise<number> {
  const names = table.columns.map((c) => `"${c.name}"`).join(", ");
  const statement = source.prepare(`SELECT ${names} FROM "${table.name}"`).raw(true);
  statement.safeIntegers(false);
  let batch: unknown[][] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${row.map((value, i) => {
      values.push(convert(value, table.columns[i]!.type));
      return `$${values.length}`;
    }).join(", ")})`);
    await target.query(`INSERT INTO "${table.name}" (${names}) VALUES ${tuples.join(", ")}`, values);
    copied += batch.length;
    batch = [];
  };
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length >= ROWS_PER_STATEMENT) await flush();
  }
  await flush();
  return copied;
}
