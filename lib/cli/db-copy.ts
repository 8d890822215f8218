import { copySqliteToPostgres } from "@/lib/db/copy";
import { databaseEngine, redactedUrl } from "@/lib/db/engine";
import { databaseFilePath } from "@/lib/db/url";

/** `lucid db copy --to postgresql://…`: copies DATABASE_URL's SQLite data into an empty PostgreSQL database. */
export async function dbCopyCommand(opts: { to: string; from?: string }): Promise<number> {
  try {
    const from = opts.from ?? process.env.DATABASE_URL;
    if (databaseEngine(from) !== "sqlite") throw new Error("the source must be a SQLite database (DATABASE_URL or --from file:…)");
    if (databaseEngine(opts.to) !== "postgresql") throw new Error(`--to must be a postgresql:// URL, not ${JSON.stringify(opts.to.split(":")[0])}`);
    const file = databaseFilePath(from);
    console.error(`Copying ${file} into ${redactedUrl(opts.to)} …`);
    const result = await copySqliteToPostgres(file, opts.to);
    const width = Math.max(...result.tables.map((t) => t.table.length));
    let mismatched = 0;
    for (const t of result.tables) {
      const same = t.source === t.target;
      if (!same) mismatched++;
      console.log(`${t.table.padEnd(width)}  ${String(t.source).padStart(9)} → ${String(t.target).padStart(9)}${same ? "" : "  MISMATCH"}`);
    }
    if (mismatched > 0) {
      console.error(`lucid: ${mismatched} table(s) differ in row count after the copy`);
      return 1;
    }
    console.error(`Copied ${result.rows} rows in ${result.tables.length} tables in ${(result.ms / 1000).toFixed(1)} s; every table's row count matches.`);
    console.error(`Start the dashboard on it with DATABASE_URL=${redactedUrl(opts.to)}`);
    return 0;
  } catch (error) {
    console.error(`lucid: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
    return 1;
  }
}
