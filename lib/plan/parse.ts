/**
 * Parser for a "build-commands document": a Markdown file that lists the images of a
 * build plan as `docker buildx build` commands in fenced shell blocks, grouped into
 * phases (`## PHASE 4: APPLICATION SERVICES (10 images)`) and numbered steps
 * (`### **18. Session API**`).
 *
 * Nothing here ever runs a shell: the commands are tokenised with a small hand-written
 * lexer that follows POSIX shell word rules closely enough for build commands.
 */
import { InvalidReferenceError, isValidPlatform, splitReference } from "@/lib/registry/reference";
import { IMAGE_NAME_PATTERN } from "@/lib/plan/names";
import { isCommandPrefix } from "@/lib/shell/commands";
import { tokenizeShell, type ShellCommand, type Word } from "@/lib/shell/lexer";

export type ParsedImage = {
  step: number;
  title: string;
  name: string;
  repository: string;
  tags: string[];
  dockerfile: string;
  context: string;
  platforms: string[];
  push: boolean;
  line: number;
};

export type ParsedPhase = {
  number: number;
  name: string;
  category: string;
  required: number;
  line: number;
  images: ParsedImage[];
};

export type PlanIssue = { line: number; message: string };

export type ParsedPlan = { title: string | null; phases: ParsedPhase[]; warnings: PlanIssue[] };

export class PlanParseError extends Error {
  readonly issues: PlanIssue[];

  constructor(issues: PlanIssue[]) {
    super(describeIssues(issues));
    this.name = "PlanParseError";
    this.issues = issues;
  }
}

export function parsePlan(markdown: string): ParsedPlan {
  const log = new IssueLog();
  const outline = new OutlineBuilder(log);
  scanMarkdown(splitLines(markdown), outline, log);
  const phases = outline.finish();
  const names = assignImageNames(phases, log);
  if (log.errors.length > 0) throw new PlanParseError(sortByLine(log.errors));
  return {
    title: outline.title,
    phases: phases.map((phase) => toParsedPhase(phase, names)),
    warnings: sortByLine(log.warnings),
  };
}

// ---------------------------------------------------------------------------
// Issues

class IssueLog {
  readonly errors: PlanIssue[] = [];
  readonly warnings: PlanIssue[] = [];

  error(line: number, message: string): void {
    this.errors.push({ line, message });
  }

  warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }
}

function describeIssues(issues: PlanIssue[]): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return [`Invalid build plan (${count}):`, ...issues.map((i) => `line ${i.line}: ${i.message}`)].join("\n");
}

function sortByLine(issues: PlanIssue[]): PlanIssue[] {
  return [...issues].sort((a, b) => a.line - b.line);
}

// ---------------------------------------------------------------------------
// Markdown structure: headings and fenced code blocks

type Fence = { marker: string; language: string };

type FencedBlock = { language: string; firstLine: number; text: string; endIndex: number };

type Heading = { level: number; text: string };

const SHELL_LANGUAGES = new Set(["", "bash", "sh", "shell", "zsh"]);

function splitLines(markdown: string): string[] {
  return markdown.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
}

function scanMarkdown(lines: string[], outline: OutlineBuilder, log: IssueLog): void {
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] ?? "";
    const fence = openingFence(text);
    if (fence) {
      const block = collectFencedBlock(lines, index, fence, log);
      outline.addBlock(block);
      index = block.endIndex;
      continue;
    }
    const heading = parseHeading(text);
    if (heading) outline.addHeading(heading, index + 1);
  }
}

function openingFence(text: string): Fence | null {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(text);
  if (!match) return null;
  const marker = match[1] ?? "";
  const info = (match[2] ?? "").trim();
  // CommonMark: a backtick fence's info string may not contain backticks.
  if (marker.startsWith("`") && info.includes("`")) return null;
  return { marker, language: (info.split(/\s+/)[0] ?? "").toLowerCase() };
}

function isClosingFence(text: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
  const marker = match?.[1];
  return marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length;
}

function collectFencedBlock(lines: string[], openIndex: number, fence: Fence, log: IssueLog): FencedBlock {
  let endIndex = openIndex + 1;
  while (endIndex < lines.length && !isClosingFence(lines[endIndex] ?? "", fence)) endIndex++;
  if (endIndex >= lines.length) {
    log.error(openIndex + 1, `code fence ${fence.marker}${fence.language} opened here is never closed`);
  }
  return {
    language: fence.language,
    firstLine: openIndex + 2,
    text: lines.slice(openIndex + 1, endIndex).join("\n"),
    endIndex: Math.min(endIndex, lines.length - 1),
  };
}

function parseHeading(text: string): Heading | null {
  const match = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/.exec(text);
  if (!match) return null;
  const raw = (match[2] ?? "").replace(/[ \t]+#+[ \t]*$/, "");
  return { level: (match[1] ?? "").length, text: stripEmphasis(raw) };
}

function stripEmphasis(text: string): string {
  return text
    .replace(/\*\*|__/g, "")
    .replace(/^[*_]+|[*_]+$/g, "")
    .trim();
}

/** Drops leading emoji and punctuation, e.g. "📋 PHASE 1" -> "PHASE 1". */
function stripLeadingSymbols(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+/u, "");
}

// ---------------------------------------------------------------------------
// Outline: phases, steps and the build command under each step

type PhaseHeading = { number: number; category: string; required: number | null };

type StepDraft = { number: number; title: string; line: number; commandLine: number | null; image: ImageDraft | null };

type PhaseDraft = PhaseHeading & { line: number; steps: StepDraft[] };

const PHASE_HEADING = /^phase\s+(\d+)\b\s*[:.\-–—]?\s*(.*)$/i;
const IMAGE_COUNT = /\(\s*(\d+)\s+images?\s*\)/i;
const STEP_HEADING = /^(\d+)[.)]\s+(.+)$/;
const DOCKER_BUILD_TEXT = /\bdocker\s+buildx\s+build\b/;

function matchPhaseHeading(text: string): PhaseHeading | null {
  const match = PHASE_HEADING.exec(stripLeadingSymbols(text));
  if (!match) return null;
  const rest = match[2] ?? "";
  const count = IMAGE_COUNT.exec(rest);
  const label = (count ? rest.slice(0, count.index) : rest).replace(/[\s:.\-–—]+$/, "");
  return {
    number: Number(match[1]),
    category: toTitleCase(label),
    required: count ? Number(count[1]) : null,
  };
}

function matchStepHeading(text: string): { number: number; title: string } | null {
  const match = STEP_HEADING.exec(stripLeadingSymbols(text));
  if (!match) return null;
  return { number: Number(match[1]), title: (match[2] ?? "").trim() };
}

function toTitleCase(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/(^|[\s\-/])(\p{L})/gu, (_match, separator: string, letter: string) => separator + letter.toUpperCase());
}

class OutlineBuilder {
  title: string | null = null;
  private readonly phases: PhaseDraft[] = [];
  private phase: PhaseDraft | null = null;
  private step: StepDraft | null = null;
  private stepLevel = 0;
  private readonly phaseLines = new Map<number, number>();
  private readonly stepLines = new Map<number, number>();

  constructor(private readonly log: IssueLog) {}

  addHeading(heading: Heading, line: number): void {
    if (heading.level === 1) {
      this.title ??= heading.text;
      this.leavePhase();
      return;
    }
    const phase = heading.level <= 3 ? matchPhaseHeading(heading.text) : null;
    if (phase) return this.startPhase(phase, heading.text, line);
    // Any other level-2 heading (e.g. "BATCH BUILD SCRIPT") closes the phase.
    if (heading.level === 2) return this.leavePhase();
    // A deeper heading is a subsection of the current step, not the end of it.
    if (this.step && heading.level > this.stepLevel) return;
    const step = matchStepHeading(heading.text);
    if (step && this.phase) return this.startStep(this.phase, step, heading.level, line);
    this.step = null;
  }

  addBlock(block: FencedBlock): void {
    if (!SHELL_LANGUAGES.has(block.language)) return;
    const { commands, issues } = tokenizeShell(block.text, block.firstLine);
    const mentionsDocker = DOCKER_BUILD_TEXT.test(block.text);
    // Shell blocks outside phases (like the batch script) only matter if they build images.
    if (this.phase === null && !mentionsDocker) return;
    for (const issue of issues) this.log.error(issue.line, issue.message);
    for (const command of commands) {
      const build = findDockerBuild(command);
      if (!build) continue;
      const damaged = issues.some((i) => i.line >= build.line && i.line <= build.endLine);
      this.addBuildCommand(build, damaged);
    }
  }

  finish(): PhaseDraft[] {
    if (this.phases.length === 0) {
      this.log.error(1, 'document has no phases (expected a heading like "## PHASE 1: BASE INFRASTRUCTURE (3 images)")');
    }
    for (const phase of this.phases) this.checkPhase(phase);
    return this.phases;
  }

  private startPhase(heading: PhaseHeading, text: string, line: number): void {
    if (heading.required === null) {
      this.log.error(line, `phase heading "${text}" has no "(N images)" count`);
    }
    if (heading.category === "") {
      this.log.error(line, `phase ${heading.number} heading has no category name after the number`);
    }
    const previous = this.phaseLines.get(heading.number);
    if (previous !== undefined) {
      this.log.error(line, `duplicate phase number ${heading.number} (already used at line ${previous})`);
    } else {
      this.phaseLines.set(heading.number, line);
    }
    this.phase = { ...heading, line, steps: [] };
    this.phases.push(this.phase);
    this.step = null;
  }

  private leavePhase(): void {
    this.phase = null;
    this.step = null;
  }

  private startStep(phase: PhaseDraft, step: { number: number; title: string }, level: number, line: number): void {
    const previous = this.stepLines.get(step.number);
    if (previous !== undefined) {
      this.log.error(line, `duplicate step number ${step.number} (already used at line ${previous})`);
    } else {
      this.stepLines.set(step.number, line);
    }
    this.step = { ...step, line, commandLine: null, image: null };
    this.stepLevel = level;
    phase.steps.push(this.step);
  }

  private addBuildCommand(build: BuildCommand, damaged: boolean): void {
    if (this.phase === null) {
      this.log.error(build.line, "docker buildx build outside any phase (no phase heading such as \"## PHASE 1: NAME (N images)\" above it)");
      return;
    }
    if (this.step === null) {
      this.log.error(build.line, `docker buildx build in phase ${this.phase.number} is not under a numbered step heading such as "### 1. Title"`);
      return;
    }
    if (this.step.commandLine !== null) {
      this.log.error(build.line, `step ${this.step.number} has more than one docker buildx build command (first at line ${this.step.commandLine})`);
      return;
    }
    this.step.commandLine = build.line;
    // A command cut short by a lexer error would only produce follow-on noise.
    if (!damaged) this.step.image = readImage(build, this.log);
  }

  private checkPhase(phase: PhaseDraft): void {
    for (const step of phase.steps) {
      if (step.commandLine === null) {
        this.log.error(step.line, `step ${step.number} "${step.title}" has no docker buildx build command`);
      }
    }
    const found = phase.steps.filter((s) => s.commandLine !== null).length;
    if (phase.required !== null && found !== phase.required) {
      this.log.warn(phase.line, `phase ${phase.number} declares ${phase.required} images but ${found} were found`);
    }
  }
}

function toParsedPhase(phase: PhaseDraft, names: Map<ImageDraft, string>): ParsedPhase {
  const images: ParsedImage[] = [];
  for (const step of phase.steps) {
    if (!step.image) continue;
    const { refs: _refs, ...image } = step.image;
    images.push({ step: step.number, title: step.title, name: names.get(step.image) ?? "", ...image });
  }
  return {
    number: phase.number,
    name: `Phase ${phase.number}`,
    category: phase.category,
    required: phase.required ?? 0,
    line: phase.line,
    images,
  };
}

// ---------------------------------------------------------------------------
// docker buildx build commands

type BuildCommand = { line: number; endLine: number; args: Word[] };

function findDockerBuild(command: ShellCommand): BuildCommand | null {
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

type Positional = { word: Word; afterUnknownFlag: string | null };

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

function readBuildOptions(args: Word[], log: IssueLog): BuildOptions {
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

// ---------------------------------------------------------------------------
// Image validation

type TagRef = { text: string; repository: string; tag: string | null; templated: boolean };

type ImageDraft = Omit<ParsedImage, "step" | "title" | "name"> & { refs: TagRef[] };

function readImage(build: BuildCommand, log: IssueLog): ImageDraft | null {
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

// ---------------------------------------------------------------------------
// Image names

function assignImageNames(phases: PhaseDraft[], log: IssueLog): Map<ImageDraft, string> {
  const drafts = phases.flatMap((phase) => phase.steps.map((step) => ({ step, image: step.image })));
  const images = drafts.flatMap(({ step, image }) => (image ? [{ step, image }] : []));
  const sharing = countRepositories(images.map(({ image }) => image));
  const names = new Map<ImageDraft, string>();
  const firstUse = new Map<string, { step: StepDraft; image: ImageDraft }>();
  for (const entry of images) {
    const name = imageName(entry.image, (sharing.get(entry.image.repository) ?? 0) > 1);
    names.set(entry.image, name);
    if (!IMAGE_NAME_PATTERN.test(name)) {
      log.error(entry.image.line, `image name "${name}" derived from ${entry.image.repository} is not URL-safe (must match ${IMAGE_NAME_PATTERN.source})`);
      continue;
    }
    const earlier = firstUse.get(name);
    if (earlier) {
      log.error(
        entry.image.line,
        `duplicate image name "${name}": step ${earlier.step.number} (line ${earlier.image.line}) and step ${entry.step.number} (line ${entry.image.line})`,
      );
    } else {
      firstUse.set(name, entry);
    }
  }
  return names;
}

function countRepositories(images: ImageDraft[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const image of images) counts.set(image.repository, (counts.get(image.repository) ?? 0) + 1);
  return counts;
}

/**
 * The repository's last path segment; when several images share a repository, the first
 * fixed tag tells them apart ("python-distroless-arm64" -> "lucid-base-python-distroless").
 */
function imageName(image: ImageDraft, repositoryIsShared: boolean): string {
  const base = image.repository.slice(image.repository.lastIndexOf("/") + 1);
  if (!repositoryIsShared) return base;
  const fixedTag = image.refs.find((ref) => !ref.templated)?.tag ?? "";
  const variant = fixedTag.replace(/-(arm64|amd64)$/, "");
  return variant === "" || variant === "latest" ? base : `${base}-${variant}`;
}
