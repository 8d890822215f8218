// Knowing cheaply whether the database changed, so read models can be computed once per change instead of once
// per request. SQLite's `PRAGMA data_version` on a connection of our own that never writes changes whenever any
// other connection commits: the app's Prisma client, the worker, the health poller, the CLI or another process.
// No triggers and no table to keep in step with the schema, and a write nobody anticipated still invalidates.
import Database from "better-sqlite3";
import { BUSY_TIMEOUT_MS, databaseFilePath } from "@/lib/db/url";
import { databaseEngine } from "@/lib/db/engine";

type Watcher = { file: string; version: () => number; close: () => void };

const globalForWatcher = globalThis as unknown as { lucidChangeWatcher?: Watcher; lucidChangeWatchers?: number; lucidUncachedVersion?: number };

function openWatcher(file: string): Watcher {
  // Read-write but never written: a read-only connection cannot create the WAL index when no other connection has.
  const db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  const statement = db.prepare("PRAGMA data_version").pluck();
  // data_version counts from a small number again on every new connection: each one's numbers are set apart, so
  // a version seen on another file (tests) or before reopening is never taken for a current one.
  const generation = (globalForWatcher.lucidChangeWatchers = (globalForWatcher.lucidChangeWatchers ?? 0) + 1);
  return { file, version: () => generation * 2 ** 32 + (statement.get() as number), close: () => db.close() };
}

/**
 * A number that differs from the last one returned whenever a commit to the database (`DATABASE_URL`) has
 * happened since; equal numbers mean nothing was committed in between. About a microsecond.
 */
export function databaseVersion(file?: string): number {
  // PostgreSQL has no cheap, synchronous counter of commits by every connection of every instance: a new number
  // every time, so read models are computed per request there rather than ever served from before a commit.
  if (file === undefined && databaseEngine() === "postgresql") return (globalForWatcher.lucidUncachedVersion = (globalForWatcher.lucidUncachedVersion ?? 0) + 1);
  file ??= databaseFilePath();
  let watcher = globalForWatcher.lucidChangeWatcher;
  if (watcher?.file !== file) {
    watcher?.close();
    watcher = globalForWatcher.lucidChangeWatcher = openWatcher(file);
  }
  return watcher.version();
}

export type UntilChangeOptions = {
  /**
   * Also recompute after this long, for what the database does not say: files read from the checkout, or
   * figures over a window that moves with the clock (uptime over the last 24 hours). Default: only on change.
   */
  maxAgeMs?: number;
  /** Where the version comes from (databaseVersion by default; tests pass their own). */
  version?: () => number;
  now?: () => number;
};

/**
 * `load`, computed once per database change and shared by every caller until the next one: concurrent callers
 * wait for the same computation, and a failed one is not kept. The version is read before loading, so a commit
 * that lands while `load` runs makes the next call load again rather than keep a result that may miss it.
 */
export function untilChange<T>(load: () => Promise<T>, options: UntilChangeOptions = {}): () => Promise<T> {
  const version = options.version ?? (() => databaseVersion());
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? Infinity;
  let entry: { version: number; at: number; value: Promise<T> } | null = null;
  return () => {
    const current = version();
    if (entry && entry.version === current && now() - entry.at < maxAgeMs) return entry.value;
    const value = load();
    const mine = (entry = { version: current, at: now(), value });
    value.catch(() => {
      if (entry === mine) entry = null;
    });
    return value;
  };
}
