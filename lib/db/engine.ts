// Which database engine a DATABASE_URL names. SQLite (a `file:` URL, the embedded default) or PostgreSQL.
export type DatabaseEngine = "sqlite" | "postgresql";

export function databaseEngine(url: string | undefined = process.env.DATABASE_URL): DatabaseEngine {
  return /^postgres(ql)?:\/\//i.test(url?.trim() ?? "") ? "postgresql" : "sqlite";
}

/** Query parameters the PostgreSQL driver reads secrets from (pg-connection-string copies every parameter). */
const SECRET_PARAMETERS = ["password", "sslpassword"];

/** A server URL as it may be shown or logged: the password replaced, in the user part and in the query. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const name of SECRET_PARAMETERS) if (parsed.searchParams.has(name)) parsed.searchParams.set(name, "***");
    return parsed.toString();
  } catch {
    return "a malformed URL";
  }
}
