// A throwaway PostgreSQL server on 127.0.0.1 for tests, the PostgreSQL drift check and the bench: Debian's
// postgresql package run from its binaries (no system service), in a temporary folder that is removed on stop.
// LUCID_TEST_POSTGRES_URL names an existing server instead (a database on it is created and dropped per use).
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export type PostgresServer = {
  /** postgresql://lucid@127.0.0.1:PORT/ — add a database name. */
  baseUrl: string;
  /** A new empty database on the server; dropped by stop(). */
  createDatabase(prefix?: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  stop(): Promise<void>;
};

const SUPERUSER = "lucid";

/** The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/<major>/bin), or null. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const majors = readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
  const dir = majors.map((m) => path.join(root, m, "bin")).find((d) => existsSync(path.join(d, "initdb")));
  return dir ?? null;
}

export function postgresAvailable(): boolean {
  return Boolean(process.env.LUCID_TEST_POSTGRES_URL?.trim()) || postgresBinDir() !== null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user on a folder it owns. */
function asServerUser(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
}

/** Runs `sql` (CREATE / DROP DATABASE) on the server at `baseUrl` (postgresql://…/), connected to its `postgres` database. */
export async function adminSql(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: `${baseUrl}postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabases(baseUrl: string, stopServer: () => Promise<void>): PostgresServer {
  const created = new Set<string>();
  let counter = 0;
  const dropDatabase = async (url: string) => {
    const name = new URL(url).pathname.slice(1);
    await adminSql(baseUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    created.delete(url);
  };
  return {
    baseUrl,
    async createDatabase(prefix = "lucid_test") {
      const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
      await adminSql(baseUrl, `CREATE DATABASE "${name}"`);
      const url = `${baseUrl}${name}`;
      created.add(url);
      return url;
    },
    dropDatabase,
    async stop() {
      for (const url of [...created]) await dropDatabase(url).catch(() => {});
      await stopServer();
    },
  };
}

/** Starts a server (about 2 s), or uses LUCID_TEST_POSTGRES_URL's. Throws with the reason when neither can be had. */
export async function startPostgres(): Promise<PostgresServer> {
  const given = process.env.LUCID_TEST_POSTGRES_URL?.trim();
  if (given) {
    const url = new URL(given);
    url.pathname = "/";
    return withDatabases(url.toString(), async () => {});
  }
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL is not installed (apt-get install postgresql), and LUCID_TEST_POSTGRES_URL is not set");
  const dir = mkdtempSync(path.join(tmpdir(), "lucid-pg-"));
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o755);
    chownSync(dir, Number(spawnSync("id", ["-u", "postgres"]).stdout.toString().trim()), Number(spawnSync("id", ["-g", "postgres"]).stdout.toString().trim()));
  }
  const port = await freePort();
  const [initdb, initArgs] = asServerUser(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", SUPERUSER, "--no-sync", "-E", "UTF8", "--locale=C"]);
  await run(initdb, initArgs);
  // Loopback only, the socket in the temporary folder, no fsync (a test server), enough connections for two instances.
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const [pgCtl, startArgs] = asServerUser(path.join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  await run(pgCtl, startArgs);
  const stop = async () => {
    const [ctl, stopArgs] = asServerUser(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    await run(ctl, stopArgs).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  return withDatabases(`postgresql://${SUPERUSER}@127.0.0.1:${port}/`, stop);
}
