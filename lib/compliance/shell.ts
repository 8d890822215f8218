// Just enough shell reading to tell which programs a RUN instruction starts. Nothing is ever executed.
import type { Instruction } from "dockerfile-ast";
import { argumentsOf } from "@/lib/compliance/dockerfile";

const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh"]);
/** Words that may precede the program of a simple command. */
const PREFIXES = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "time", "exec", "sudo", "nohup", "command", "env", "{", "}", "fi", "done"]);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const HEREDOC_MARKER = /<<(-?)\s*(["']?)([A-Za-z_][\w.-]*)\2/g;

/** The argv of an exec-form (JSON array of strings) instruction argument, or null for shell form. */
export function execFormArgs(content: string): string[] | null {
  const trimmed = content.trim();
  if (!trimmed.startsWith("[")) return null;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return Array.isArray(parsed) && parsed.every((v) => typeof v === "string") ? parsed : null;
  } catch {
    return null;
  }
}

/** True when the RUN uses a heredoc or the shell form: both need /bin/sh in the image. */
export function needsShell(run: Instruction): boolean {
  return execFormArgs(argumentsOf(run)) === null;
}

/** The simple commands a RUN starts, each as its words with leading keywords and VAR=value removed. */
export function runCommands(run: Instruction): string[][] {
  const content = argumentsOf(run);
  const argv = execFormArgs(content);
  if (argv !== null) return expandShellC(argv.length ? [argv] : []);
  return shellFormCommands(content);
}

function shellFormCommands(content: string): string[][] {
  const [first = "", ...rest] = content.split("\n");
  const markers = [...first.matchAll(HEREDOC_MARKER)];
  if (markers.length === 0) return shellCommands(content);
  const commandLine = first.replace(HEREDOC_MARKER, " ");
  const commands = shellCommands(commandLine);
  const bodyIsScript = commands.length === 0 || SHELLS.has(basename(commands[0]![0]!));
  if (bodyIsScript) {
    for (const body of heredocBodies(rest, markers)) commands.push(...shellCommands(body));
  }
  return commands;
}

/** The bodies of the heredocs opened on a RUN's first line, in order; an unterminated one runs to the end. */
function heredocBodies(lines: string[], markers: RegExpMatchArray[]): string[] {
  const bodies: string[] = [];
  let at = 0;
  for (const marker of markers) {
    const stripTabs = marker[1] === "-";
    const delimiter = marker[3]!;
    const body: string[] = [];
    for (; at < lines.length; at++) {
      const line = stripTabs ? lines[at]!.replace(/^\t+/, "") : lines[at]!;
      if (line === delimiter) {
        at += 1;
        break;
      }
      body.push(line);
    }
    bodies.push(body.join("\n"));
  }
  return bodies;
}

/** Splits a shell script into simple commands (quotes respected, no expansion). */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    const simple = withoutPrefixes(words);
    if (simple.length > 0) commands.push(simple);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'") {
      const close = script.indexOf("'", i + 1);
      const end = close < 0 ? script.length : close;
      word += script.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      const end = closingDoubleQuote(script, i + 1);
      word += script.slice(i + 1, end).replace(/\\(["\\$`])/g, "$1");
      inWord = true;
      i = end;
    } else if (c === "\\") {
      if (script[i + 1] !== "\n") {
        word += script[i + 1] ?? "";
        inWord = true;
      }
      i += 1;
    } else if (c === "#" && !inWord) {
      const newline = script.indexOf("\n", i);
      i = newline < 0 ? script.length : newline - 1;
    } else if (c === "\n" || ";&|()`".includes(c)) {
      endCommand();
    } else if (c === "$" && script[i + 1] === "(") {
      endCommand();
      i += 1;
    } else if (c === " " || c === "\t" || c === "\r") {
      endWord();
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return expandShellC(commands);
}

function closingDoubleQuote(script: string, from: number): number {
  for (let i = from; i < script.length; i++) {
    if (script[i] === "\\") i += 1;
    else if (script[i] === '"') return i;
  }
  return script.length;
}

function withoutPrefixes(words: string[]): string[] {
  let start = 0;
  while (start < words.length && (PREFIXES.has(words[start]!) || ASSIGNMENT.test(words[start]!))) start += 1;
  return words.slice(start);
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

export function basename(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1);
}

const COMPILERS = new Set(["gcc", "g++", "cc", "c++", "clang", "clang++", "make", "cmake", "ninja", "rustc"]);

/**
 * What build tooling a simple command installs or runs ("apt-get install", "pip install", "gcc"...),
 * or null when it is not build tooling.
 */
export function buildTooling(words: string[]): string | null {
  const program = basename(words[0] ?? "");
  const args = words.slice(1);
  const sub = args.find((w) => !w.startsWith("-"));
  if (COMPILERS.has(program)) return program;
  if (["apt-get", "apt", "aptitude"].includes(program) && sub === "install") return `${program} install`;
  if (program === "apk" && sub === "add") return "apk add";
  if (["yum", "dnf", "microdnf", "tdnf", "zypper"].includes(program) && (sub === "install" || sub === "in")) return `${program} install`;
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
