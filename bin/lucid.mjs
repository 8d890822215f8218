#!/usr/bin/env node
// `npx lucid ...`: the project's command line. `compliance` runs compiled (scripts/compliance-bundle.mjs), for CI;
// the other commands are TypeScript, loaded through tsx.
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (process.argv[2] === "compliance") {
  const { complianceBundle } = await import(pathToFileURL(join(root, "scripts/compliance-bundle.mjs")).href);
  const { complianceMain } = await import(pathToFileURL(await complianceBundle(root)).href);
  process.exitCode = await complianceMain(process.argv);
} else {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: join(root, "tsconfig.json") });
  const { main } = await import(join(root, "lib/cli/main.ts"));
  process.exitCode = await main(process.argv);
}
