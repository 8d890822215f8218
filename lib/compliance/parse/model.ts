// The parsed Dockerfile the rules read: instructions with their keyword, arguments, flags and line range, the
// name=value pairs of ENV, ARG and LABEL, and variables resolved as BuildKit scopes them. Method names follow
// dockerfile-ast's, which the rules were first written against.
import { splitWords, unquote, type Heredoc, type RawInstruction, type Word } from "@/lib/compliance/parse/lines";

export type Range = { start: { line: number }; end: { line: number } };

export type Flag = { getName(): string; getValue(): string | null };

export type Argument = { getValue(): string; getRange(): Range };

export type Property = { getName(): string; getValue(): string | null; getRange(): Range };

const FLAG = /^--([A-Za-z][A-Za-z0-9-]*)(?:=(.*))?$/s;

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

  /** The words after the flags, as written (quotes kept). */
  getArguments(): Argument[] {
    return this.words.map((w) => ({ getValue: () => w.text, getRange: () => ({ start: { line: w.line }, end: { line: w.line } }) }));
  }

  getFlags(): Flag[] {
    return this.flags.map((f) => ({ getName: () => f.name, getValue: () => f.value }));
  }

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
  getProperties(): Property[] {
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

export { splitWords };

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

  constructor(
    readonly instructions: Instruction[],
    readonly escape: string,
    readonly lines: string[],
    private readonly substituteWith: (text: string, lookup: (name: string) => string | null | undefined) => string,
  ) {
    this.starts = instructions.map((i) => i.raw.startLine);
    this.firstFrom = instructions.findIndex((i) => i instanceof From);
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
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** What `name` is for the instruction at `index`: declarations before it, in its scope. */
  private valueBefore(index: number, name: string, depth: number): string | null | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const global = this.firstFrom < 0 || index <= this.firstFrom || this.instructions[index] instanceof From;
    let scopeStart = 0;
    let scopeEnd = index;
    if (global) {
      scopeEnd = Math.min(index, this.firstFrom < 0 ? index : this.firstFrom);
    } else {
      for (let k = index - 1; k >= 0; k--) {
        if (this.instructions[k] instanceof From) {
          scopeStart = k + 1;
          break;
        }
      }
    }
    for (let k = scopeEnd - 1; k >= scopeStart; k--) {
      const instruction = this.instructions[k]!;
      if (!(instruction instanceof PropertyInstruction)) continue;
      const keyword = instruction.getKeyword();
      if (keyword === "LABEL" || (global && keyword !== "ARG")) continue;
      const property = instruction.getProperties().reverse().find((p) => p.getName() === name);
      if (!property) continue;
      const value = property.getValue();
      if (value !== null) return this.substituteWith(value, (other) => this.valueBefore(k, other, depth + 1));
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
