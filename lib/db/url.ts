import path from "node:path";

const DEFAULT_DATABASE_URL = "file:./data/lucid.db";

/**
 * How long a statement waits for another connection's write lock before failing with SQLITE_BUSY (better-sqlite3's
 * `timeout`). Set rather than left to the driver's default: the CLI, the bench and the server share the file.
 */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Absolute path of the SQLite file named by a `file:` URL such as `file:./data/lucid.db`,
 * `file:/var/lib/lucid.db` or `file:///var/lib/lucid.db`. Relative paths are resolved against
 * `baseDir` (the project root, which is the working directory of every script and the app).
 * Query parameters (`?connection_limit=1`) are ignored.
 */
export function databaseFilePath(
  url: string | undefined = process.env.DATABASE_URL,
  baseDir: string = process.cwd(),
): string {
  const value = url?.trim() || DEFAULT_DATABASE_URL;
  if (!value.startsWith("file:")) {
    // Only the scheme is echoed: a server URL may carry a password.
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(value)?.[0] ?? "a value without a scheme";
    throw new Error(
      `DATABASE_URL must be a SQLite "file:" URL such as ${DEFAULT_DATABASE_URL} or a postgresql:// URL; got ${scheme}`,
    );
  }
  const withoutQuery = value.slice("file:".length).split("?")[0] ?? "";
  const filePath = withoutQuery.startsWith("//") ? withoutQuery.slice(2) : withoutQuery;
  if (filePath === "" || filePath === ":memory:") {
    throw new Error(`DATABASE_URL must name a database file, e.g. ${DEFAULT_DATABASE_URL}; got "${value}"`);
  }
  return path.resolve(baseDir, filePath);
}
