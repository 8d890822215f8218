// Notices the database file being deleted or replaced under a running server. SQLite keeps writing to the file
// it opened: after `rm lucid.db` or a copy moved over it, every write would land in a file nobody will read again.
import { statSync } from "node:fs";
import { databaseFilePath } from "@/lib/db/url";
import { databaseEngine } from "@/lib/db/engine";

export type DatabaseFileChange = "deleted" | "replaced";

/**
 * Checks `file` every `intervalMs` (the timer does not keep the process alive) and calls `onChange` once when it
 * is gone or is another file (a new inode). Returns the stop function.
 */
export function watchDatabaseFile(file: string, onChange: (change: DatabaseFileChange) => void, intervalMs = 5_000): () => void {
  const identity = (stat: { dev: number; ino: number }) => `${stat.dev}:${stat.ino}`;
  const original = identity(statSync(file));
  const timer = setInterval(() => {
    let change: DatabaseFileChange | null = null;
    try {
      if (identity(statSync(file)) !== original) change = "replaced";
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") change = "deleted";
    }
    if (change === null) return;
    clearInterval(timer);
    onChange(change);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

export function databaseChangeMessage(file: string, change: DatabaseFileChange): string {
  return change === "deleted"
    ? `The database file ${file} was deleted while the dashboard was running. Stopping: writes would go to a file that is gone. Restore it from a backup and start again.`
    : `The database file ${file} was replaced while the dashboard was running. Stopping: this process still has the old file open. Start again to use the new one.`;
}

/** For the server (instrumentation.ts): says what happened and exits when the configured database file changes. */
export function stopWhenDatabaseChanges(): void {
  if (databaseEngine() !== "sqlite") return;
  const file = databaseFilePath();
  watchDatabaseFile(file, (change) => {
    console.error(databaseChangeMessage(file, change));
    process.exit(1);
  });
}
