// The compliance command compiled to one JavaScript file with esbuild, kept in node_modules/.cache and rebuilt
// whenever a source it is built from is newer: `npx lucid compliance` then starts without compiling TypeScript
// (tsx compiles the whole CLI on every run, seconds before the first file is read).
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["lib/cli/compliance.ts", "lib/cli/compliance-command.ts", "lib/cli/compliance-main.ts", "lib/cli/run-program.ts", "lib/compliance", "lib/shell", "package-lock.json", "tsconfig.json"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** The bundle's path, built first when missing or older than its sources. */
export async function complianceBundle(root) {
  const out = join(root, "node_modules/.cache/lucid-cli/compliance.mjs");
  const built = existsSync(out) ? statSync(out).mtimeMs : 0;
  if (built > Math.max(...SOURCES.map((s) => newestMtime(join(root, s))))) return out;
  const { build } = await import("esbuild");
  mkdirSync(join(root, "node_modules/.cache/lucid-cli"), { recursive: true });
  await build({
    entryPoints: [join(root, "lib/cli/compliance-main.ts")],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: join(root, "tsconfig.json"),
    // Packages stay in node_modules (commander, yaml); only the project's TypeScript is compiled in.
    packages: "external",
    logLevel: "error",
  });
  return out;
}

// `node scripts/compliance-bundle.mjs`: build it now (npm run build does, so the first CI run is fast too).
if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await complianceBundle(join(import.meta.dirname, ".."));
  console.log(`compliance CLI compiled: ${out}`);
}
