// Checks of the SQLite file around a start (scripts/serve.mjs runs them through scripts/preflight.ts): a database
// that was there before never silently becomes a fresh one (with a new first admin), a damaged file is refused
// with a clear message, a read-only one is said out loud, and the journal mode is set rather than assumed.
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { BUSY_TIMEOUT_MS } from "@/lib/db/url";

/** The Setting that names this database; the same id is kept beside the file, to notice a swap. */
export const INSTANCE_KEY = "db.instance";

export class DatabaseCheckError extends Error {
  override name = "DatabaseCheckError";
}

/** `lucid.db` → `lucid.db.instance`: the id of the database this dashboard last started with. */
export const markerPath = (databaseFile: string): string => `${databaseFile}.instance`;

function readMarker(databaseFile: string): string | null {
  try {
    const text = readFileSync(markerPath(databaseFile), "utf8").trim();
    return text === "" ? null : text.slice(0, 100);
  } catch {
    return null;
  }
}

/**
 * Before migrations run (they would create an empty file): refuses to start when the database this dashboard
 * used is gone, instead of making a new one with a new first admin.
 */
export function checkBeforeStart(databaseFile: string): void {
  const marker = readMarker(databaseFile);
  if (marker === null) return;
  const size = existsSync(databaseFile) ? statSync(databaseFile).size : null;
  if (size !== null && size > 0) return;
  throw new DatabaseCheckError(
    [
      `The database ${databaseFile} is ${size === null ? "missing" : "empty"}, but this dashboard used a database there before (instance ${marker}).`,
      "Starting now would create an empty database, with a new first admin, and every build record would be gone.",
      `Restore the file from a backup; or, to start afresh on purpose, delete ${markerPath(databaseFile)} and start again.`,
    ].join("\n"),
  );
}

export type StartReport = { instance: string | null; writable: boolean; warnings: string[] };

/**
 * After migrations and seeding: SQLite's quick_check (a damaged file is refused), whether the file can be
 * written (a warning when not), WAL journal mode, and the database's instance id compared with the one last
 * seen beside it (a warning when it was swapped for another database).
 */
export function checkAfterStart(databaseFile: string, options: { readonly?: boolean } = {}): StartReport {
  try {
    return checkOpenedDatabase(databaseFile, options);
  } catch (error) {
    if (error instanceof DatabaseCheckError) throw error;
    if (/SQLITE_BUSY|database is locked/i.test(`${(error as { code?: string }).code ?? ""} ${(error as Error).message}`)) {
      throw new DatabaseCheckError(`The database ${databaseFile} is busy: another process holds its write lock (a CLI import, another dashboard). Start again once it is done.`);
    }
    throw error;
  }
}

function checkOpenedDatabase(databaseFile: string, options: { readonly?: boolean }): StartReport {
  const warnings: string[] = [];
  let db: Database.Database;
  try {
    db = new Database(databaseFile, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS, readonly: options.readonly ?? false });
  } catch (error) {
    throw new DatabaseCheckError(`The database ${databaseFile} cannot be opened: ${(error as Error).message}`);
  }
  try {
    const problems = quickCheck(db, databaseFile);
    if (problems.length > 0) {
      throw new DatabaseCheckError(
        [
          `The database ${databaseFile} is damaged (SQLite's quick_check found ${problems.length === 10 ? "10 or more problems" : `${problems.length} problem(s)`}):`,
          ...problems.map((p) => `  ${p}`),
          "Stop the dashboard and restore the file from a backup; `sqlite3 FILE .recover` may save what is left.",
        ].join("\n"),
      );
    }
    const writable = canWrite(db);
    if (writable) {
      db.pragma("journal_mode = WAL");
    } else {
      warnings.push(
        `The database ${databaseFile} is read-only: pages and API reads work, but builds, sign-ins, settings and health samples cannot be saved.`,
      );
    }
    let instance = (db.prepare("SELECT value FROM Setting WHERE key = ?").get(INSTANCE_KEY) as { value: string } | undefined)?.value ?? null;
    if (instance === null && writable && readMarker(databaseFile) === null) {
      instance = randomUUID();
      db.prepare("INSERT INTO Setting (key, value, updatedAt) VALUES (?, ?, ?)").run(INSTANCE_KEY, instance, Date.now());
    }
    const marker = readMarker(databaseFile);
    if (instance === null && marker !== null) {
      throw new DatabaseCheckError(
        `The database ${databaseFile} has no instance id, but this dashboard used a database there before (instance ${marker}): it was replaced by another file. Restore the database from a backup; or, to start afresh on purpose, delete ${markerPath(databaseFile)}.`,
      );
    }
    if (instance !== null && marker !== null && marker !== instance) {
      warnings.push(
        `The database ${databaseFile} is not the one this dashboard last used (that was instance ${marker}; this is ${instance}): it was replaced, or restored from another copy.`,
      );
    }
    if (instance !== null && marker !== instance) {
      try {
        writeFileSync(markerPath(databaseFile), `${instance}\n`, { mode: 0o644 });
      } catch (error) {
        warnings.push(`Could not write ${markerPath(databaseFile)} (${(error as Error).message}); a deleted database will not be noticed at the next start.`);
      }
    }
    return { instance, writable, warnings };
  } finally {
    db.close();
  }
}

function quickCheck(db: Database.Database, databaseFile: string): string[] {
  try {
    const rows = db.pragma("quick_check(10)") as { quick_check: string }[];
    const lines = rows.map((r) => r.quick_check);
    return lines.length === 1 && lines[0] === "ok" ? [] : lines;
  } catch (error) {
    // "file is not a database", "database disk image is malformed": the file itself is the problem.
    throw new DatabaseCheckError(`The database ${databaseFile} cannot be read as SQLite: ${(error as Error).message}. Restore it from a backup.`);
  }
}

/** A real write, rolled back: a read-only mount or file answers SQLITE_READONLY here. */
function canWrite(db: Database.Database): boolean {
  try {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.prepare("INSERT OR REPLACE INTO Setting (key, value, updatedAt) VALUES (?, ?, ?)").run("db.write-check", "", Date.now());
    } finally {
      db.exec("ROLLBACK");
    }
    return true;
  } catch (error) {
    if (/READONLY|read-only|readonly/i.test(`${(error as { code?: string }).code ?? ""} ${(error as Error).message}`)) return false;
    throw error;
  }
}
