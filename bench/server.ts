import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

export type BenchServer = { baseUrl: string; stop: () => Promise<void> };

/** Starts the production build (scripts/serve.mjs) on loopback against a fresh database file. */
export async function startServer(port: number, databaseFile: string, env: Record<string, string> = {}): Promise<BenchServer> {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${databaseFile}${suffix}`, { force: true });
  const child: ChildProcess = spawn(process.execPath, ["scripts/serve.mjs", "--hostname", "127.0.0.1", "--port", String(port)], {
    env: { ...process.env, ...env, DATABASE_URL: `file:./${databaseFile}`, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/api/plan`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("server did not start within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    baseUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

