// Which programs a RUN instruction starts, read with the one shell reader (lib/shell). Nothing is ever executed.
import { execFormArgs, type Instruction } from "@/lib/compliance/parse/model";
import { argumentsOf } from "@/lib/compliance/dockerfile";
import { basename, SHELLS, substitutionsIn, withoutPrefixes } from "@/lib/shell/commands";
import { tokenizeShell } from "@/lib/shell/lexer";

/** True when the RUN uses a heredoc or the shell form: both need /bin/sh in the image. */
export function needsShell(run: Instruction): boolean {
  return execFormArgs(argumentsOf(run)) === null;
}

/** The simple commands a RUN starts, each as its words with leading keywords and VAR=value removed. */
export function runCommands(run: Instruction): string[][] {
  const content = argumentsOf(run);
  const argv = execFormArgs(content);
  if (argv !== null) return expandShellC(argv.length ? [argv] : []);
  return shellCommands(content);
}

/**
 * Splits a shell script into simple commands (quotes respected, no expansion), with the lib/shell reader: the
 * commands inside `$(…)` and backticks, and the heredoc bodies a shell reads as its script, count too.
 */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  for (const command of tokenizeShell(script).commands) {
    const words = command.words.map((w) => w.text);
    const simple = withoutPrefixes(words);
    if (simple.length > 0) commands.push(simple);
    for (const word of words) for (const inner of substitutionsIn(word)) commands.push(...shellCommands(inner));
    const bodyIsScript = simple.length === 0 || SHELLS.has(basename(simple[0]!));
    if (bodyIsScript) for (const body of command.heredocs) commands.push(...shellCommands(body));
  }
  return expandShellC(commands);
}

/** `sh -c "script"` runs the script's commands too. */
function expandShellC(commands: string[][]): string[][] {
  const out: string[][] = [];
  for (const words of commands) {
    out.push(words);
    const c = words.indexOf("-c");
    if (SHELLS.has(basename(words[0]!)) && c > 0 && words[c + 1] !== undefined) out.push(...shellCommands(words[c + 1]!));
  }
  return out;
}

const COMPILERS = new Set(["gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ninja", "rustc"]);

/**
 * OS packages that are build tooling: compilers, make and friends, headers (-dev, -devel). An OS install of
 * anything else (xrdp, ca-certificates, tini) puts what the service runs with into the image, which is its job.
 */
const BUILD_PACKAGE = /^(build-essential|build-base|gcc|g\+\+|gcc-c\+\+|clang|make|cmake|ninja(-build)?|autoconf|automake|libtool|pkg-?config|git|rustc|cargo|golang(-go)?|musl-dev|linux-headers|.+-dev|.+-devel)(=.*)?$/;

function osInstall(name: string, args: string[]): string | null {
  const packages = args.filter((w) => !w.startsWith("-")).slice(1);
  const build = packages.filter((p) => BUILD_PACKAGE.test(p));
  return build.length > 0 ? `${name} ${listFew(build)}` : null;
}

const listFew = (items: string[]) => (items.length > 3 ? `${items.slice(0, 3).join(" ")} …` : items.join(" "));

/**
 * What build tooling a simple command installs or runs ("apt-get install gcc", "pip install", "gcc"...), or null
 * when it is not build tooling (an OS install of runtime packages is not).
 */
export function buildTooling(words: string[]): string | null {
  const program = basename(words[0] ?? "");
  const args = words.slice(1);
  const sub = args.find((w) => !w.startsWith("-"));
  if (COMPILERS.has(program)) return program;
  if (["apt-get", "apt", "aptitude"].includes(program) && sub === "install") return osInstall(`${program} install`, args);
  if (program === "apk" && sub === "add") return osInstall("apk add", args);
  if (["yum", "dnf", "microdnf", "tdnf", "zypper"].includes(program) && (sub === "install" || sub === "in")) return osInstall(`${program} install`, args);
  if (/^pip[0-9.]*$/.test(program) && sub === "install") return `${program} install`;
  if (/^python[0-9.]*$/.test(program) && isPipModuleInstall(args)) return `${program} -m pip install`;
  if (program === "npm" && ["install", "i", "ci", "add"].includes(sub ?? "")) return `npm ${sub}`;
  if (program === "yarn" && (sub === undefined || sub === "install" || sub === "add")) return "yarn install";
  if (program === "pnpm" && ["install", "i", "add"].includes(sub ?? "")) return `pnpm ${sub}`;
  if (program === "gem" && sub === "install") return "gem install";
  if ((program === "cargo" || program === "go") && (sub === "build" || sub === "install")) return `${program} ${sub}`;
  return null;
}

function isPipModuleInstall(args: string[]): boolean {
  const m = args.indexOf("-m");
  return m >= 0 && args[m + 1] === "pip" && args.slice(m + 2).find((w) => !w.startsWith("-")) === "install";
}
