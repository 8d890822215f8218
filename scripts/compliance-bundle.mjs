// The compliance command compiled to one JavaScript file with esbuild, kept in node_modules/.cache and rebuilt
// whenever a file it was built from (esbuild's own list of inputs) is newer: `npx lucid compliance` then starts
// without compiling TypeScript (tsx compiles the whole CLI on every run, seconds before the first file is read).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : Infinity);

/** Whether the bundle is missing, or older than one of its inputs (or the lockfile and tsconfig that shaped it). */
function stale(root, out, inputsFile) {
  if (!existsSync(out) || !existsSync(inputsFile)) return true;
  const built = statSync(out).mtimeMs;
  const inputs = [...JSON.parse(readFileSync(inputsFile, "utf8")), "package-lock.json", "tsconfig.json"];
  return inputs.some((input) => mtime(join(root, input)) >= built);
}

/** The bundle's path, built first when missing or stale. */
export async function complianceBundle(root) {
  const out = join(root, "node_modules/.cache/lucid-cli/compliance.mjs");
  const inputsFile = `${out}.inputs.json`;
  if (!stale(root, out, inputsFile)) return out;
  const { build } = await import("esbuild");
  mkdirSync(join(root, "node_modules/.cache/lucid-cli"), { recursive: true });
  const result = await build({
    absWorkingDir: root,
    metafile: true,
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
  writeFileSync(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs)));
  return out;
}

// `node scripts/compliance-bundle.mjs`: build it now (npm run build does, so the first CI run is fast too).
if (import.meta.url === `file://${process.argv[1]}`) {
  const out = await complianceBundle(join(import.meta.dirname, ".."));
  console.log(`compliance CLI compiled: ${out}`);
}
