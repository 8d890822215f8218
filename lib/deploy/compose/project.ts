// A deployment as declared: the Compose files that make it, read and merged as `docker compose -f … -f …` does.
// All or nothing: any problem in any file (YAML, interpolation, a missing required variable, a bad port) makes the
// whole project unreadable, reported with file, line and excerpt, as Compose refuses it; nothing of it is used.
import { stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { CheckoutPathError, readCheckoutFile } from "@/lib/checkout/checkout";
import { mergeComposeFiles } from "@/lib/deploy/compose/merge";
import { composeServices, type ComposeService } from "@/lib/deploy/compose/services";
import { readComposeYaml, type ComposeProblem } from "@/lib/deploy/compose/yaml-tree";

/** A Compose file larger than this is refused rather than parsed (a real one is a few kB; 1,000 services ~1 MB). */
export const MAX_COMPOSE_BYTES = 4 * 1024 * 1024;
const MAX_ENV_FILE_BYTES = 256 * 1024;

export type ComposeFile = { path: string; text: string };

export type ComposeProject =
  | { ok: true; files: string[]; services: ComposeService[]; /** Variables used but not set anywhere: "" was used, as Compose does (with a warning). */ unset: string[] }
  | { ok: false; files: string[]; problems: ComposeProblem[] };

function withExcerpts(problems: ComposeProblem[], files: ComposeFile[]): ComposeProblem[] {
  const lines = new Map(files.map((f) => [f.path, f.text.split(/\r?\n/)]));
  return problems.map((p) => (p.excerpt !== null || p.line === null ? p : { ...p, excerpt: lines.get(p.file)?.[p.line - 1]?.trim().slice(0, 300) ?? null }));
}

/**
 * The files' services, merged in order. Variables come from `variables` only (an env file of the deployment),
 * never from the dashboard's own environment, which holds its secrets.
 */
export function readComposeProject(files: ComposeFile[], variables: Readonly<Record<string, string>>): ComposeProject {
  const names = files.map((f) => f.path);
  const problems: ComposeProblem[] = [];
  const unset = new Set<string>();
  const lookup = (name: string) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined) unset.add(name);
    return value;
  };
  const models: Record<string, unknown>[] = [];
  for (const file of files) {
    if (Buffer.byteLength(file.text) > MAX_COMPOSE_BYTES) {
      problems.push({ file: file.path, line: null, message: `the file is larger than ${MAX_COMPOSE_BYTES} bytes; it is not read`, excerpt: null });
      continue;
    }
    const read = readComposeYaml(file.path, file.text, lookup);
    problems.push(...read.problems);
    if (read.value) models.push(read.value);
  }
  if (problems.length > 0) return { ok: false, files: names, problems: withExcerpts(problems, files) };
  const services = composeServices(mergeComposeFiles(models), problems);
  if (problems.length > 0) return { ok: false, files: names, problems: withExcerpts(problems, files) };
  // A variable looked up only for its default (${X:-d}) counts as unset too; that is what Compose warns about
  // only for plain ${X}, but a default used is worth knowing here as well.
  return { ok: true, files: names, services, unset: [...unset].sort() };
}

export type ComposeSettings = {
  /** Compose files, relative to the checkout, in the order they are merged. */
  files: string[];
  /** An env file relative to the checkout; by default `.env` beside the first Compose file, when there is one. */
  envFile?: string | null;
};

const CACHED_PROJECTS = 8;
const projects = new Map<string, Promise<ComposeProject>>();

/** What identifies the files as they are now: path, inode, size and mtime of each (and of the env file); "?" for one that cannot be read. */
async function identity(root: string, settings: ComposeSettings): Promise<string> {
  const envFile = settings.envFile?.trim() || path.posix.join(path.posix.dirname(settings.files[0] ?? "."), ".env");
  const parts = await Promise.all(
    [...settings.files, envFile].map(async (file) => {
      try {
        const info = await stat(path.resolve(root, file));
        return `${file}:${info.ino}:${info.size}:${info.mtimeMs}`;
      } catch {
        return `${file}:?`;
      }
    }),
  );
  return JSON.stringify([root, settings.envFile ?? null, parts]);
}

/**
 * Reads the configured files and env file from the checkout at `root` (confined to it) and merges them. Parsed
 * once per version of the files: the poller asks every sweep, and a 1,000-service file takes tens of milliseconds.
 */
export async function loadComposeProject(root: string, settings: ComposeSettings): Promise<ComposeProject> {
  const key = await identity(root, settings);
  const known = projects.get(key);
  if (known) return known;
  const loading = readProjectFiles(root, settings);
  projects.set(key, loading);
  if (projects.size > CACHED_PROJECTS) projects.delete(projects.keys().next().value!);
  loading.catch(() => projects.delete(key));
  return loading;
}

async function readProjectFiles(root: string, settings: ComposeSettings): Promise<ComposeProject> {
  const problems: ComposeProblem[] = [];
  const files: ComposeFile[] = [];
  if (settings.files.length === 0) return { ok: false, files: [], problems: [{ file: "", line: null, message: "no Compose files are configured", excerpt: null }] };
  for (const file of settings.files) {
    try {
      files.push({ path: file, text: await readCheckoutFile(root, file, MAX_COMPOSE_BYTES) });
    } catch (error) {
      if (!(error instanceof CheckoutPathError)) throw error;
      problems.push({ file, line: null, message: error.message, excerpt: null });
    }
  }
  const variables = await loadEnvFile(root, settings, problems);
  if (problems.length > 0) return { ok: false, files: settings.files, problems };
  return readComposeProject(files, variables);
}

async function loadEnvFile(root: string, settings: ComposeSettings, problems: ComposeProblem[]): Promise<Record<string, string>> {
  const explicit = settings.envFile?.trim() || null;
  const envFile = explicit ?? path.posix.join(path.posix.dirname(settings.files[0]!), ".env");
  try {
    return parseDotenv(await readCheckoutFile(root, envFile, MAX_ENV_FILE_BYTES));
  } catch (error) {
    if (!(error instanceof CheckoutPathError)) throw error;
    // The default .env is optional, as it is for Compose; one that was named must be there.
    if (explicit) problems.push({ file: envFile, line: null, message: error.message, excerpt: null });
    return {};
  }
}
