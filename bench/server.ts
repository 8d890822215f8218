import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/** `cookie`: a signed-in admin's session cookie (name=value), for pages and the API. */
export type BenchServer = { baseUrl: string; cookie: string; stop: () => Promise<void> };

const ADMIN = { email: "bench@bench.test", password: "bench admin password" };

/**
 * Starts the production build (scripts/serve.mjs) on loopback against a fresh database file, with an admin
 * created at start (LUCID_ADMIN_EMAIL/PASSWORD) and signed in. Build triggers are not rate-limited here: the
 * rebuild bench queues more than the default 10 a minute.
 */
export async function startServer(port: number, databaseFile: string, env: Record<string, string> = {}): Promise<BenchServer> {
  // A DATABASE_URL in env (PostgreSQL) is used as it is; otherwise a fresh SQLite file.
  const databaseUrl = env.DATABASE_URL ?? `file:./${databaseFile}`;
  if (!env.DATABASE_URL) for (const suffix of ["", "-wal", "-shm", ".instance"]) rmSync(`${databaseFile}${suffix}`, { force: true });
  const child: ChildProcess = spawn(process.execPath, ["scripts/serve.mjs", "--hostname", "127.0.0.1", "--port", String(port)], {
    env: {
      ...process.env,
      LUCID_BUILD_RATE_LIMIT: "100000/60",
      ...env,
      DATABASE_URL: databaseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
      LUCID_ADMIN_EMAIL: ADMIN.email,
      LUCID_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/login`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("server did not start within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify(ADMIN),
  });
  const cookie = signIn.headers.get("set-cookie")?.split(";")[0];
  if (!signIn.ok || !cookie) throw new Error(`signing in to the bench server failed: ${signIn.status}`);
  return {
    baseUrl,
    cookie,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * The stylesheet every page loads, as served by the same server: the static file the page timings are set beside
 * (its share of the work is reading and compressing a file; a page adds the session check and rendering).
 */
export async function staticFilePath(server: BenchServer): Promise<string> {
  const html = await (await fetch(`${server.baseUrl}/`, { headers: { cookie: server.cookie } })).text();
  const path = /\/_next\/static\/[^"]+\.css/.exec(html)?.[0];
  if (!path) throw new Error("the overview names no stylesheet under /_next/static/");
  return path;
}
