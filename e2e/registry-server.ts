// A throwaway OCI registry on 127.0.0.1 for the end-to-end tests (Debian's docker-registry).
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const port = Number(process.env.E2E_REGISTRY_PORT ?? 5055);
const root = path.resolve("data/e2e-registry");
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const config = path.join(root, "config.yml");
writeFileSync(
  config,
  [
    "version: 0.1",
    "log: { level: warn }",
    `storage: { filesystem: { rootdirectory: ${JSON.stringify(path.join(root, "storage"))} } }`,
    `http: { addr: "127.0.0.1:${port}" }`,
    "",
  ].join("\n"),
);
const registry = spawn("docker-registry", ["serve", config], { stdio: "inherit" });
registry.on("error", (error) => {
  console.error(`cannot start docker-registry (apt-get install docker-registry): ${error.message}`);
  process.exit(1);
});
registry.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => registry.kill(signal));
