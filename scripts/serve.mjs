// Starts the built dashboard: check the database, apply pending migrations, seed a fresh database, then `next start`.
// PORT (default 3000) and HOSTNAME (default: every interface) choose where it listens, unless --port/--hostname do.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { nextStartArgs } from "./serve-args.mjs";

const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/cli");
const next = require.resolve("next/dist/bin/next");

// The database checks (scripts/preflight.ts) come first, so a missing database is never replaced by an empty one.
for (const args of [["scripts/preflight.ts", "before"], ["scripts/migrate.ts", "deploy"], ["scripts/seed.ts"], ["scripts/preflight.ts", "after"]]) {
  const step = spawnSync(process.execPath, [tsx, ...args], { stdio: "inherit" });
  if (step.status !== 0) process.exit(step.status ?? 1);
}

const server = spawn(process.execPath, [next, ...nextStartArgs(process.argv.slice(2), process.env)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
