// The parsed Dockerfile the rules read: instructions with their keyword, arguments, flags and line range, the
// name=value pairs of ENV, ARG and LABEL, and variables resolved as BuildKit scopes them. Method names follow
// dockerfile-ast's, which the rules were first written against.
import { substitute, type Lookup } from "@/lib/compliance/substitute";
import { lastAtMost, unquote, type Heredoc, type RawInstruction, type Word } from "@/lib/compliance/parse/lines";

export type Range = { start: { line: number }; end: { line: number } };

export type Property = { getName(): string; getValue(): string | null; getRange(): Range };

const FLAG = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?$/s;

/**
 * The argv of an exec-form (JSON array of strings) instruction argument, or null for the shell form. As BuildKit's
 * parseMaybeJSON: text that is not such an array is the shell form.
 */
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

export class Instruction {
  readonly flags: { name: string; value: string | null }[] = [];
  /** The words after the flags. */
  readonly words: Word[];

  constructor(
    readonly raw: RawInstruction,
    readonly escape: string,
  ) {
    let k = 0;
    for (; k < raw.words.length; k++) {
      const match = FLAG.exec(raw.words[k]!.text);
      if (!match) break;
      this.flags.push({ name: match[1]!, value: match[2] === undefined ? null : unquote(match[2], escape) });
    }
    this.words = raw.words.slice(k);
  }

  getKeyword(): string {
    return this.raw.keyword.toUpperCase();
  }

  getRange(): Range {
    return { start: { line: this.raw.startLine }, end: { line: this.raw.endLine } };
  }

  get heredocs(): readonly Heredoc[] {
    return this.raw.heredocs;
  }

  /** The arguments after the keyword and its flags, continuations joined; heredoc bodies follow, as a shell reads them. */
  getArgumentsContent(): string | null {
    const bodies = this.raw.heredocs.map((h) => `\n${h.body}${h.name}`).join("");
    const args = this.words.length > 0 ? this.raw.args.slice(this.words[0]!.offset) : this.flags.length > 0 ? "" : this.raw.args;
    const content = `${args}${bodies}`;
    return content === "" ? null : content;
  }

  /** A flag's value (null for a flag without "="), or undefined when the instruction does not have it. */
  flag(name: string): string | null | undefined {
    return this.flags.find((f) => f.name === name)?.value;
  }
}

export class From extends Instruction {
  /** The image as written, or null when the FROM names none. */
  getImage(): string | null {
    return this.words[0]?.text ?? null;
  }

  /** The stage name after AS, as written. */
  getBuildStage(): string | null {
    return this.words.length === 3 && this.words[1]!.text.toLowerCase() === "as" ? this.words[2]!.text : null;
  }

  getPlatformFlag(): { getValue(): string | null } | null {
    const value = this.flag("platform");
    return value === undefined ? null : { getValue: () => value };
  }
}

/** ENV, ARG and LABEL: name=value pairs (ENV and LABEL also take the old `NAME value` form). */
export class PropertyInstruction extends Instruction {
  private properties: Property[] | null = null;

  /** Read once: variable lookups walk back over many ENV and ARG instructions. */
  getProperties(): Property[] {
    return (this.properties ??= this.readProperties());
  }

  private readProperties(): Property[] {
    const keyword = this.getKeyword();
    const line = (w: Word) => ({ start: { line: w.line }, end: { line: w.line } });
    const first = this.words[0];
    if (!first) return [];
    if (keyword !== "ARG" && !first.text.includes("=")) {
      // The old form: the name, then everything after it is the value.
      const rest = this.raw.args.slice(first.offset + first.text.length).trim();
      return [{ getName: () => first.text, getValue: () => unquote(rest, this.escape), getRange: () => line(first) }];
    }
    return this.words.map((w) => {
      const eq = w.text.indexOf("=");
      const name = eq < 0 ? w.text : w.text.slice(0, eq);
      const value = eq < 0 ? null : unquote(w.text.slice(eq + 1), this.escape);
      return { getName: () => name, getValue: () => value, getRange: () => line(w) };
    });
  }
}

export function toInstruction(raw: RawInstruction, escape: string): Instruction {
  const keyword = raw.keyword.toUpperCase();
  if (keyword === "FROM") return new From(raw, escape);
  if (keyword === "ENV" || keyword === "ARG" || keyword === "LABEL") return new PropertyInstruction(raw, escape);
  return new Instruction(raw, escape);
}


/** How deep one variable's default may refer to others (`ARG B=${A}`), past which it counts as unresolved. */
const MAX_DEPTH = 32;

/**
 * The instructions of a Dockerfile with variables resolved as BuildKit scopes them: a FROM sees only the ARGs
 * declared before the first FROM; an instruction in a stage sees that stage's ARG and ENV declared before it, and a
 * global ARG only where the stage declares it again (`ARG NAME` without a value takes the global default).
 * Defaults may use earlier variables (`ARG B=${A}:nonroot`).
 */
export class ParsedDockerfile {
  private readonly starts: number[];
  private readonly firstFrom: number;
  /** Each variable is worked out once per instruction: defaults that use others twice would otherwise double per level. */
  private readonly memo = new Map<string, string | null | undefined>();
  /** Per variable name, the indexes of the ENV and ARG instructions declaring it, ascending: lookups seek, not scan. */
  private readonly declarations = new Map<string, number[]>();
  /** For each instruction, the index of the FROM that starts its stage (-1 before the first FROM). */
  private readonly stageFrom: number[];

  constructor(
    readonly instructions: Instruction[],
    readonly escape: string,
    readonly lines: string[],
  ) {
    this.starts = instructions.map((i) => i.raw.startLine);
    this.firstFrom = instructions.findIndex((i) => i instanceof From);
    let from = -1;
    this.stageFrom = instructions.map((instruction, index) => (instruction instanceof From ? (from = index) : from));
    instructions.forEach((instruction, index) => {
      if (!(instruction instanceof PropertyInstruction) || instruction.getKeyword() === "LABEL") return;
      for (const name of new Set(instruction.getProperties().map((p) => p.getName()))) {
        const list = this.declarations.get(name);
        if (list) list.push(index);
        else this.declarations.set(name, [index]);
      }
    });
  }

  getInstructions(): Instruction[] {
    return this.instructions;
  }

  getEscapeCharacter(): string {
    return this.escape;
  }

  /** The value of `name` for the instruction on 0-based `line`: a string, null when declared without one, undefined when not declared. */
  resolveVariable(name: string, line: number): string | null | undefined {
    return this.valueBefore(this.indexAt(line), name, 0);
  }

  private indexAt(line: number): number {
    return Math.max(0, lastAtMost(this.starts, line));
  }

  /**
   * What an ENV `name` is at the end of the stage whose FROM is on 0-based `fromLine`: what a stage built FROM it
   * inherits (ARGs are not inherited). Undefined when the stage sets no such ENV.
   */
  envAtEndOfStage(name: string, fromLine: number): string | null | undefined {
    const from = this.indexAt(fromLine);
    const declared = this.declarations.get(name) ?? [];
    for (let d = declared.length - 1; d >= 0 && declared[d]! > from; d--) {
      const k = declared[d]!;
      if (this.stageFrom[k] !== from || this.instructions[k]!.getKeyword() !== "ENV") continue;
      // Resolved as the ENV at k itself sees it, with the scope ending at k.
      return this.valueBefore(k, name, 0, k);
    }
    return undefined;
  }

  /** What `name` is for the instruction at `index`: declarations before it, in its scope (memoised). */
  private valueBefore(index: number, name: string, depth: number, upTo?: number): string | null | undefined {
    const key = `${index}\u0000${upTo ?? ""}\u0000${name}`;
    if (this.memo.has(key)) return this.memo.get(key);
    const value = this.computeBefore(index, name, depth, upTo);
    if (depth <= MAX_DEPTH) this.memo.set(key, value);
    return value;
  }

  private substituteWith(text: string, lookup: Lookup): string {
    return substitute(text, lookup, this.escape).value;
  }

  private computeBefore(index: number, name: string, depth: number, upTo?: number): string | null | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const global = this.firstFrom < 0 || index <= this.firstFrom || this.instructions[index] instanceof From;
    let scopeStart = 0;
    let scopeEnd = index;
    if (global) {
      scopeEnd = Math.min(index, this.firstFrom < 0 ? index : this.firstFrom);
    } else {
      scopeStart = this.stageFrom[index]! + 1;
    }
    if (upTo !== undefined) scopeEnd = upTo + 1;
    const declared = this.declarations.get(name) ?? [];
    // The last declaration before scopeEnd, then back through the earlier ones in scope.
    for (let d = lastAtMost(declared, scopeEnd - 1); d >= 0 && declared[d]! >= scopeStart; d--) {
      const k = declared[d]!;
      const instruction = this.instructions[k] as PropertyInstruction;
      const keyword = instruction.getKeyword();
      if (global && keyword !== "ARG") continue;
      const properties = instruction.getProperties();
      let at = -1;
      for (let p = properties.length - 1; p >= 0; p--) {
        if (properties[p]!.getName() === name) {
          at = p;
          break;
        }
      }
      if (at < 0) continue;
      const value = properties[at]!.getValue();
      if (value !== null) {
        // ARG pairs are added one by one (`ARG A=1 B=${A}` gives B=1); ENV sees only what was set before it.
        const earlierPairs = keyword === "ARG" ? properties.slice(0, at) : [];
        return this.substituteWith(value, (other) => {
          const pair = [...earlierPairs].reverse().find((p) => p.getName() === other);
          if (pair) return pair.getValue() === null ? this.valueBefore(k, other, depth + 1) : this.substituteWith(pair.getValue()!, (o) => this.valueBefore(k, o, depth + 2));
          return this.valueBefore(k, other, depth + 1);
        });
      }
      // `ARG NAME` in a stage takes the global default, if there is one.
      if (keyword === "ARG" && !global && this.firstFrom > 0) {
        const fromGlobal = this.valueBefore(this.firstFrom, name, depth + 1);
        return fromGlobal === undefined ? null : fromGlobal;
      }
      return null;
    }
    return undefined;
  }
}
