// A `docker buildx build` command as the plan reads it: which flags take a value, and what each one means.
import { isCommandPrefix } from "@/lib/shell/commands";
import type { ShellCommand, Word } from "@/lib/shell/lexer";
import { IssueLog } from "@/lib/plan/document/issues";

export type BuildCommand = { line: number; endLine: number; args: Word[] };

export function findDockerBuild(command: ShellCommand): BuildCommand | null {
  const { words } = command;
  let index = 0;
  while (index < words.length && isCommandPrefix(words[index]?.text ?? "")) index++;
  const [docker, buildx, build] = words.slice(index, index + 3);
  if (docker?.text !== "docker" || buildx?.text !== "buildx" || build?.text !== "build") return null;
  return { line: docker.line, endLine: command.endLine, args: words.slice(index + 3) };
}

/** What a known flag does: the first five are read, the rest only consume their value. */
type FlagRole = "tag" | "file" | "platform" | "output" | "push" | "value" | "switch" | "optional-value";

const VALUE_FLAGS = [
  "add-host", "allow", "annotation", "attest", "build-arg", "build-context", "builder", "cache-from", "cache-to",
  "call", "cgroup-parent", "cpu-period", "cpu-quota", "cpu-shares", "cpuset-cpus", "cpuset-mems", "iidfile",
  "isolation", "label", "memory", "memory-swap", "metadata-file", "network", "no-cache-filter", "progress",
  "root", "secret", "security-opt", "server-config", "shm-size", "ssh", "target", "ulimit",
];
const SWITCH_FLAGS = ["check", "compress", "detach", "force-rm", "load", "no-cache", "print", "pull", "quiet", "rm", "squash"];
// Documented only in their `--provenance=mode=max` form, so they never take the next word.
const OPTIONAL_VALUE_FLAGS = ["provenance", "sbom"];

const FLAG_ROLES: ReadonlyMap<string, FlagRole> = new Map<string, FlagRole>([
  ["--tag", "tag"],
  ["--file", "file"],
  ["--platform", "platform"],
  ["--output", "output"],
  ["--push", "push"],
  ...VALUE_FLAGS.map((name): [string, FlagRole] => [`--${name}`, "value"]),
  ...SWITCH_FLAGS.map((name): [string, FlagRole] => [`--${name}`, "switch"]),
  ...OPTIONAL_VALUE_FLAGS.map((name): [string, FlagRole] => [`--${name}`, "optional-value"]),
]);

const SHORT_FLAGS: ReadonlyMap<string, string> = new Map([
  ["-t", "--tag"],
  ["-f", "--file"],
  ["-o", "--output"],
  ["-q", "--quiet"],
]);

export type Positional = { word: Word; afterUnknownFlag: string | null };

type BuildOptions = { tags: Word[]; files: Word[]; platforms: Word[]; contexts: Positional[]; push: boolean };

function isFlagWord(text: string): boolean {
  return text.startsWith("-") && text !== "-";
}

function splitFlag(text: string): { name: string; inline: string | null } {
  if (text.startsWith("--")) {
    const equals = text.indexOf("=");
    return equals < 0 ? { name: text, inline: null } : { name: text.slice(0, equals), inline: text.slice(equals + 1) };
  }
  const short = text.slice(0, 2);
  const rest = text.slice(2);
  const inline = rest === "" ? null : rest.startsWith("=") ? rest.slice(1) : rest;
  return { name: SHORT_FLAGS.get(short) ?? short, inline };
}

function takesValue(role: FlagRole): boolean {
  return role !== "push" && role !== "switch" && role !== "optional-value";
}

export function readBuildOptions(args: Word[], log: IssueLog): BuildOptions {
  const options: BuildOptions = { tags: [], files: [], platforms: [], contexts: [], push: false };
  let positionalOnly = false;
  let unknownFlag: string | null = null;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg) continue;
    if (positionalOnly || !isFlagWord(arg.text)) {
      options.contexts.push({ word: arg, afterUnknownFlag: unknownFlag });
      unknownFlag = null;
      continue;
    }
    unknownFlag = null;
    if (arg.text === "--") {
      positionalOnly = true;
      continue;
    }
    const flag = splitFlag(arg.text);
    const role = FLAG_ROLES.get(flag.name);
    if (!role) {
      log.warn(arg.line, `unknown docker buildx build flag ${flag.name} is ignored`);
      if (flag.inline === null) unknownFlag = flag.name;
      continue;
    }
    if (!takesValue(role)) {
      applySwitch(role, flag, arg, options, log);
      continue;
    }
    const value = flag.inline !== null ? { text: flag.inline, line: arg.line } : args[index + 1];
    if (!value || (flag.inline === null && isFlagWord(value.text))) {
      log.error(arg.line, `flag ${arg.text} needs a value`);
      continue;
    }
    if (flag.inline === null) index++;
    applyValue(role, value, options);
  }
  return options;
}

function applySwitch(role: FlagRole, flag: { name: string; inline: string | null }, arg: Word, options: BuildOptions, log: IssueLog): void {
  if (role === "optional-value" || flag.inline === null) {
    if (role === "push") options.push = true;
    return;
  }
  const enabled = parseBoolean(flag.inline);
  if (enabled === null) log.error(arg.line, `flag ${flag.name} expects true or false, got "${flag.inline}"`);
  else if (role === "push") options.push = enabled;
}

function parseBoolean(text: string): boolean | null {
  if (/^(1|t|true)$/i.test(text)) return true;
  if (/^(0|f|false)$/i.test(text)) return false;
  return null;
}

function applyValue(role: FlagRole, value: Word, options: BuildOptions): void {
  if (role === "tag") options.tags.push(value);
  else if (role === "file") options.files.push(value);
  else if (role === "platform") options.platforms.push(value);
  else if (role === "output" && outputPushes(value.text)) options.push = true;
}

/** `--output type=registry` and `--output type=image,push=true` both push. */
function outputPushes(spec: string): boolean {
  const fields = new Map(
    spec.split(",").map((field): [string, string] => {
      const equals = field.indexOf("=");
      return equals < 0 ? [field.trim(), ""] : [field.slice(0, equals).trim(), field.slice(equals + 1).trim()];
    }),
  );
  const type = fields.get("type");
  return type === "registry" || (type === "image" && parseBoolean(fields.get("push") ?? "") === true);
}
