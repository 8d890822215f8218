// Which database engine a DATABASE_URL names. SQLite (a `file:` URL, the embedded default) or PostgreSQL.
export type DatabaseEngine = "sqlite" | "postgresql";

export function databaseEngine(url: string | undefined = process.env.DATABASE_URL): DatabaseEngine {
  return /^postgres(ql)?:\/\//i.test(url?.trim() ?? "") ? "postgresql" : "sqlite";
}

/** A server URL as it may be shown or logged: the password replaced. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "a malformed URL";
  }
}
