// One planned image from its build command: the Dockerfile, the context, the tags and platforms, checked.
import type { ParsedImage } from "@/lib/plan/document/types";
import { InvalidReferenceError, isValidPlatform, splitReference } from "@/lib/registry/reference";
import type { Word } from "@/lib/shell/lexer";
import { type BuildCommand, type Positional, readBuildOptions } from "@/lib/plan/document/buildx-command";
import { IssueLog } from "@/lib/plan/document/issues";

type TagRef = { text: string; repository: string; tag: string | null; templated: boolean };

export type ImageDraft = Omit<ParsedImage, "step" | "title" | "name"> & { refs: TagRef[] };

export function readImage(build: BuildCommand, log: IssueLog): ImageDraft | null {
  const errorsBefore = log.errors.length;
  const options = readBuildOptions(build.args, log);
  const dockerfile = readDockerfile(build, options.files, log);
  const context = readContext(build, options.contexts, log);
  const refs = readTags(build, options.tags, log);
  const platforms = readPlatforms(build, options.platforms, log);
  const first = refs[0];
  if (log.errors.length > errorsBefore || dockerfile === null || context === null || !first) return null;
  return {
    repository: first.repository,
    tags: refs.map((r) => r.text),
    dockerfile,
    context,
    platforms,
    push: options.push,
    line: build.line,
    refs,
  };
}

function readDockerfile(build: BuildCommand, files: Word[], log: IssueLog): string | null {
  const [file, extra] = files;
  if (!file) {
    log.error(build.line, "docker buildx build is missing -f/--file (the Dockerfile path)");
    return null;
  }
  if (extra) {
    log.error(extra.line, `more than one -f/--file given ("${file.text}" and "${extra.text}")`);
    return null;
  }
  return checkedPath(file, "-f path", log);
}

function readContext(build: BuildCommand, contexts: Positional[], log: IssueLog): string | null {
  const [context, ...extras] = contexts;
  if (!context) {
    log.error(build.line, "docker buildx build is missing its build context (the positional path argument)");
    return null;
  }
  if (extras.length === 0) return checkedPath(context.word, "context", log);
  const hint = unknownFlagValueHint(contexts);
  for (const extra of extras) {
    log.error(extra.word.line, `more than one positional context ("${context.word.text}" and "${extra.word.text}")${hint}`);
  }
  return null;
}

/** Unknown flags cannot consume a value, so `--mystery value` leaves a stray positional. */
function unknownFlagValueHint(contexts: Positional[]): string {
  const suspect = contexts.find((c) => c.afterUnknownFlag !== null);
  if (!suspect?.afterUnknownFlag) return "";
  const flag = suspect.afterUnknownFlag;
  return `; "${suspect.word.text}" follows unknown flag ${flag}: if it is that flag's value, write ${flag}=${suspect.word.text}`;
}

function checkedPath(word: Word, what: string, log: IssueLog): string | null {
  const result = normaliseRelativePath(word.text);
  if ("problem" in result) {
    log.error(word.line, `${what} "${word.text}" ${result.problem}`);
    return null;
  }
  return result.path;
}

function normaliseRelativePath(raw: string): { path: string } | { problem: string } {
  if (raw === "") return { problem: "is empty" };
  if (raw === "-") return { problem: "reads from stdin; a path relative to the repository root is required" };
  if (/[$`]/.test(raw)) return { problem: "contains a shell expansion; a literal path is required" };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || raw.startsWith("git@")) {
    return { problem: "is a URL; a path relative to the repository root is required" };
  }
  if (/^[/\\~]/.test(raw) || /^[A-Za-z]:[\\/]/.test(raw)) {
    return { problem: "is an absolute path; use a path relative to the repository root" };
  }
  const parts: string[] = [];
  for (const segment of raw.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") parts.push(segment);
    else if (parts.pop() === undefined) return { problem: "escapes the repository root with '..'" };
  }
  return { path: parts.length > 0 ? parts.join("/") : "." };
}

const DATE_SAMPLE = "20250101-000000";

/** Replaces each `$(date ...)` with a sample timestamp so the tag can be validated. */
function replaceDateTemplates(text: string): string {
  let result = "";
  let index = 0;
  for (let start = text.indexOf("$(", index); start >= 0; start = text.indexOf("$(", index)) {
    const end = substitutionEnd(text, start);
    if (end < 0) break;
    const isDate = /^date(\s|$)/.test(text.slice(start + 2, end - 1));
    result += text.slice(index, start) + (isDate ? DATE_SAMPLE : text.slice(start, end));
    index = end;
  }
  return result + text.slice(index);
}

/** Index just past the `)` closing the `$(` at `start`, or -1; the lexer already checked quoting. */
function substitutionEnd(text: string, start: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = start + 1; i < text.length; i++) {
    const char = text.charAt(i);
    if (quote !== null) {
      if (char === quote) quote = null;
      else if (char === "\\" && quote === '"') i++;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === "\\") {
      i++;
    } else if (char === "(") {
      depth++;
    } else if (char === ")" && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

function readTags(build: BuildCommand, tags: Word[], log: IssueLog): TagRef[] {
  if (tags.length === 0) {
    log.error(build.line, "docker buildx build has no -t/--tag");
    return [];
  }
  const refs: TagRef[] = [];
  for (const word of tags) {
    const ref = checkedTag(word, log);
    if (ref) refs.push(ref);
  }
  return refs;
}

function checkedTag(word: Word, log: IssueLog): TagRef | null {
  const concrete = replaceDateTemplates(word.text);
  const templated = concrete !== word.text;
  if (/[$`]/.test(concrete)) {
    log.error(word.line, `tag "${word.text}" uses a shell expansion; only $(date ...) is supported`);
    return null;
  }
  const reference = readBuildTag(concrete);
  if ("problem" in reference) {
    log.error(word.line, `tag "${word.text}" is not a valid image reference: ${reference.problem}`);
    return null;
  }
  if (word.text !== reference.repository && !word.text.startsWith(`${reference.repository}:`)) {
    log.error(word.line, `tag "${word.text}" has $(date ...) in the repository name; it is only allowed after ':'`);
    return null;
  }
  return { text: word.text, repository: reference.repository, tag: reference.tag, templated };
}

/** A -t value as written, `[registry/]name[:tag]` (not normalised); digests are not allowed for -t. */
function readBuildTag(text: string): { repository: string; tag: string | null } | { problem: string } {
  if (text.includes("@")) return { problem: "digests (@sha256:...) cannot be used as a build tag" };
  try {
    const { name, tag } = splitReference(text);
    return { repository: name, tag };
  } catch (error) {
    if (error instanceof InvalidReferenceError) return { problem: error.reason };
    throw error;
  }
}

function readPlatforms(build: BuildCommand, words: Word[], log: IssueLog): string[] {
  if (words.length === 0) {
    log.warn(build.line, "no --platform given; the image's platforms are recorded as []");
    return [];
  }
  const platforms: string[] = [];
  for (const word of words) {
    for (const platform of word.text.split(",").map((p) => p.trim())) {
      if (isValidPlatform(platform)) platforms.push(platform);
      else log.error(word.line, `platform "${platform}" in "${word.text}" is not of the form os/arch[/variant]`);
    }
  }
  return platforms;
}
