// The parsed Dockerfile as the rules see it: stages with their aliases, the local stage each one
// builds FROM, ARG-resolved base images, and the chain from the final stage down to its real base.
import { readInstructions, unquote } from "@/lib/compliance/parse/lines";
import { execFormArgs, From, ParsedDockerfile, PropertyInstruction, toInstruction, type Instruction } from "@/lib/compliance/parse/model";
import { instructionProblem, spacedHeredocHint } from "@/lib/compliance/parse/validate";
import { substitute, type Lookup } from "@/lib/compliance/substitute";

export type { Instruction } from "@/lib/compliance/parse/model";
export { From } from "@/lib/compliance/parse/model";

/** BuildKit reads Dockerfiles of any size, but past this the dashboard refuses rather than stalls. */
export const MAX_DOCKERFILE_BYTES = 4 * 1024 * 1024;

export type FromLine = {
  instruction: From;
  /** 1-based. */
  line: number;
  /** The image as written, e.g. python:${PYTHON_VERSION}-slim. */
  written: string;
  /** After substituting the global ARGs, e.g. python:3.11-slim. */
  image: string;
  /** Global ARGs the image needs that have no value. */
  unresolved: string[];
  /** The --platform value after substitution, or null. */
  platform: string | null;
  /**
   * Set when the image is the name of a stage defined later in the file (its FROM line): BuildKit only
   * looks back, so this FROM pulls an image of that name instead.
   */
  laterStageLine: number | null;
};

export type Stage = {
  index: number;
  /** The name after AS, as written; BuildKit compares names case-insensitively. */
  alias: string | null;
  from: FromLine;
  /** The earlier stage this one builds FROM, or null when it starts from an image (or scratch). */
  parent: Stage | null;
  /** The stage's instructions after its FROM. */
  instructions: Instruction[];
};

export type AnalysedDockerfile = {
  ast: ParsedDockerfile;
  lines: string[];
  escape: string;
  stages: Stage[];
  final: Stage;
  /** The final stage and the local stages it builds on: the final stage first, its root last. */
  finalChain: Stage[];
  /** The last stage of finalChain; its FROM names the image the final image really starts from. */
  root: Stage;
};

export type ParseResult = { dockerfile: AnalysedDockerfile; error: null } | { dockerfile: null; error: string };

/** Parses a Dockerfile; never throws. An `error` says why the text is not a Dockerfile that could build. */
export function parseDockerfile(text: string): ParseResult {
  const problem = textProblem(text);
  if (problem) return { dockerfile: null, error: problem };
  const read = readInstructions(text);
  if (!read.ok) return { dockerfile: null, error: read.error };
  const instructions = read.instructions.map((raw) => toInstruction(raw, read.escape));
  // The first instruction BuildKit would refuse makes the whole file refused, as it does.
  // A `<< EOF` written with a space explains a refusal in the lines just after it (its would-be body).
  let hint: { text: string; line: number } | null = null;
  for (const instruction of instructions) {
    const problem = instructionProblem(instruction);
    const near = hint !== null && lineOf(instruction) - hint.line <= 50;
    if (problem) return { dockerfile: null, error: `line ${lineOf(instruction)}: ${problem}${near ? ` (${hint!.text})` : ""}` };
    const found = spacedHeredocHint(instruction);
    if (found) hint = { text: found, line: lineOf(instruction) };
  }
  const ast = new ParsedDockerfile(instructions, read.escape, read.lines);
  return buildModel(ast);
}

function textProblem(text: string): string | null {
  if (text.length > MAX_DOCKERFILE_BYTES) {
    return `the Dockerfile is too large (${text.length} characters; the limit is ${MAX_DOCKERFILE_BYTES})`;
  }
  if (text.trim() === "") return "the Dockerfile is empty";
  if (looksBinary(text)) return "the file is not text (it holds NUL or other control bytes): not a Dockerfile";
  return null;
}

function looksBinary(text: string): boolean {
  if (text.includes("\u0000")) return true;
  const sample = text.slice(0, 8192);
  let odd = 0;
  for (const ch of sample) {
    const code = ch.codePointAt(0)!;
    if ((code < 32 && ch !== "\n" && ch !== "\r" && ch !== "\t" && ch !== "\f") || code === 0xfffd) odd += 1;
  }
  return odd > sample.length / 10;
}

function buildModel(ast: ParsedDockerfile): ParseResult {
  const instructions = ast.getInstructions();
  const firstFrom = instructions.findIndex((i) => i.getKeyword() === "FROM");
  if (firstFrom < 0) return { dockerfile: null, error: "the Dockerfile has no FROM instruction" };
  const early = instructions.slice(0, firstFrom).find((i) => i.getKeyword() !== "ARG");
  if (early) {
    return { dockerfile: null, error: `line ${lineOf(early)}: ${early.getKeyword()} before the first FROM (only ARG may come before FROM)` };
  }

  const stages: Stage[] = [];
  // The latest stage of each name so far: a FROM names an earlier stage (case-insensitively), as BuildKit resolves it.
  const named = new Map<string, Stage>();
  for (const instruction of instructions.slice(firstFrom)) {
    if (instruction instanceof From) {
      const from = readFrom(ast, instruction);
      if (from.written === "") return { dockerfile: null, error: `line ${from.line}: FROM names no image` };
      const alias = instruction.getBuildStage();
      const stage: Stage = { index: stages.length, alias, from, parent: named.get(from.image.toLowerCase()) ?? null, instructions: [] };
      stages.push(stage);
      if (alias) named.set(alias.toLowerCase(), stage);
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  markForwardReferences(stages);
  const final = stages.at(-1)!;
  const finalChain = chainOf(final);
  return { dockerfile: { ast, lines: ast.lines, escape: ast.getEscapeCharacter(), stages, final, finalChain, root: finalChain.at(-1)! }, error: null };
}

function readFrom(ast: ParsedDockerfile, instruction: From): FromLine {
  const line0 = instruction.getRange().start.line;
  const lookup: Lookup = (name) => ast.resolveVariable(name, line0);
  const written = instruction.getImage() ?? "";
  const image = substitute(written, lookup, ast.getEscapeCharacter());
  const platformFlag = instruction.getPlatformFlag()?.getValue() ?? null;
  return {
    instruction,
    line: line0 + 1,
    written,
    image: image.value,
    unresolved: image.unresolved,
    platform: platformFlag === null ? null : substitute(platformFlag, lookup, ast.getEscapeCharacter()).value,
    laterStageLine: null,
  };
}

/** A FROM naming a stage defined only later pulls an image of that name: noted on it. Linear in the stages. */
function markForwardReferences(stages: Stage[]): void {
  const nextNamed = new Map<string, Stage>();
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i]!;
    if (stage.parent === null) {
      const later = nextNamed.get(stage.from.image.toLowerCase());
      if (later) stage.from.laterStageLine = later.from.line;
    }
    if (stage.alias) nextNamed.set(stage.alias.toLowerCase(), stage);
  }
}

function chainOf(stage: Stage): Stage[] {
  const chain: Stage[] = [];
  for (let s: Stage | null = stage; s !== null; s = s.parent) chain.push(s);
  return chain;
}

// ---------------------------------------------------------------------------
// Reading instructions

/** 1-based first line of an instruction. */
export function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function keywordIs(instruction: Instruction, keyword: string): boolean {
  return instruction.getKeyword() === keyword;
}

/** Instructions with this keyword in the stage, in order. */
function instructionsIn(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => keywordIs(i, keyword));
}

const stagesByInstruction = new WeakMap<AnalysedDockerfile, Map<Instruction, Stage>>();

/** The stage an instruction is in (built once per Dockerfile, so rules that ask per instruction stay linear). */
export function stageOf(df: AnalysedDockerfile, instruction: Instruction): Stage | null {
  let index = stagesByInstruction.get(df);
  if (!index) {
    index = new Map();
    for (const stage of df.stages) for (const i of stage.instructions) index.set(i, stage);
    stagesByInstruction.set(df, index);
  }
  return index.get(instruction) ?? null;
}

/** Instructions with this keyword in the final image's stages (root first, file order). */
export function instructionsInChain(df: AnalysedDockerfile, keyword: string): Instruction[] {
  return [...df.finalChain].reverse().flatMap((stage) => instructionsIn(stage, keyword));
}

/** The instruction of this keyword that takes effect in the final image (the last one along the chain), with its stage. */
export function effectiveInstruction(df: AnalysedDockerfile, keyword: string): { instruction: Instruction; stage: Stage } | null {
  for (const stage of df.finalChain) {
    const found = instructionsIn(stage, keyword).at(-1);
    if (found) return { instruction: found, stage };
  }
  return null;
}

/**
 * Resolves a variable as seen by an instruction of `stage`: its own ARG and ENV (and the global ARGs
 * it redeclares), then ENV inherited from the local stages it builds on.
 */
export function lookupAt(df: AnalysedDockerfile, stage: Stage, instruction: Instruction): Lookup {
  const line0 = instruction.getRange().start.line;
  return (name) => {
    const own = df.ast.resolveVariable(name, line0);
    if (own !== undefined) return own;
    for (let parent = stage.parent; parent !== null; parent = parent.parent) {
      // ENV (not ARG) is inherited, with the value it had at the end of that stage, expanded there.
      const inherited = df.ast.envAtEndOfStage(name, parent.from.line - 1);
      if (inherited !== undefined) return inherited;
    }
    return undefined;
  };
}

export type PropertyView = { name: string; value: string | null; line: number };

/** The NAME=value pairs of an ENV or ARG instruction. */
export function propertiesOf(instruction: Instruction): PropertyView[] {
  if (!(instruction instanceof PropertyInstruction)) return [];
  return instruction.getProperties().map((p) => ({ name: p.getName(), value: p.getValue(), line: p.getRange().start.line + 1 }));
}

/** The instruction's arguments with line continuations joined, or "" when it has none. */
export function argumentsOf(instruction: Instruction): string {
  return instruction.getArgumentsContent() ?? "";
}

/** The instruction as written, line by line, for an excerpt. */
export function instructionText(df: AnalysedDockerfile, instruction: Instruction): string {
  const { start, end } = instruction.getRange();
  return df.lines.slice(start.line, end.line + 1).join("\n");
}

/**
 * The sources of a COPY or ADD as written: every argument but the destination, after the flags, in shell or JSON
 * form, quotes removed. Heredoc sources (`<<EOF`) are not files and are left out.
 */
export function copySources(instruction: Instruction): string[] {
  const json = execFormArgs(instruction.getArgumentsContent() ?? "");
  if (json) return json.slice(0, -1);
  const values = instruction.words.map((w) => w.text);
  return values.slice(0, -1).filter((a) => !/^\d*<</.test(a)).map((a) => unquote(a, instruction.escape));
}
