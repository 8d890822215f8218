#!/usr/bin/env node
// `npx lucid ...`: the project's command line. The commands are TypeScript, loaded through tsx.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
register({ tsconfig: join(root, "tsconfig.json") });
const { main } = await import(join(root, "lib/cli/main.ts"));
process.exitCode = await main(process.argv);
