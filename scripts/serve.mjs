// Starts the built dashboard: apply pending migrations, seed a fresh database, then `next start`.
// PORT (default 3000) and HOSTNAME are honoured by Next.js itself.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/cli");
const next = require.resolve("next/dist/bin/next");

for (const script of ["scripts/migrate.ts", "scripts/seed.ts"]) {
  const args = script.endsWith("migrate.ts") ? [tsx, script, "deploy"] : [tsx, script];
  const step = spawnSync(process.execPath, args, { stdio: "inherit" });
  if (step.status !== 0) process.exit(step.status ?? 1);
}

const server = spawn(process.execPath, [next, "start", ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
