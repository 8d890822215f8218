// A Dockerfile split into instructions the way BuildKit's frontend does (moby/buildkit
// frontend/dockerfile/parser/parser.go): parser directives at the top, comments and blank lines skipped, lines
// continued with the escape character joined (comment lines inside a continuation skipped, as BuildKit does), and
// the bodies of the heredocs of RUN, COPY and ADD read up to their terminator and never as instructions.
//
// Written here rather than with dockerfile-ast: that parser reads a heredoc's body lines as instructions when the
// instruction does not end on its first line, accepts what BuildKit refuses (see validate.ts), and takes a second
// for a 1.5 MB file. One pass over the lines, no backtracking: linear in the file's size.

export type Heredoc = {
  /** The delimiter word, quotes removed. */
  name: string;
  /** `<<-`: leading tabs of the body and the terminator are stripped. */
  chomp: boolean;
  /** The body, every line followed by "\n", as BuildKit keeps it. */
  body: string;
  /** 0-based lines of the body's first line and of the terminator. */
  firstLine: number;
  terminatorLine: number;
};

/** A word of the arguments: as written, its offset in `args`, and the line it starts on. */
export type Word = { text: string; offset: number; line: number };

export type RawInstruction = {
  /** As written ("from", "Run"); compare upper-cased. */
  keyword: string;
  /** 0-based first and last line, heredoc bodies and terminators included. */
  startLine: number;
  endLine: number;
  /** Everything after the keyword on the joined logical line (continuations removed), trimmed. */
  args: string;
  /** `args` split into words (quotes kept, as BuildKit's parseWords), each with the line it starts on. */
  words: Word[];
  heredocs: Heredoc[];
};

export type ReadResult =
  | { ok: true; escape: string; directives: Record<string, string>; instructions: RawInstruction[]; lines: string[] }
  | { ok: false; error: string };

/** The instructions that take heredocs (and ONBUILD with one of them). */
export const HEREDOC_INSTRUCTIONS: ReadonlySet<string> = new Set(["RUN", "COPY", "ADD"]);
/** The directives BuildKit knows; any other `# key=value` line ends the directives (it is a comment). */
const DIRECTIVES = new Set(["syntax", "escape", "check"]);
// BuildKit's reHeredoc, applied to each word of the line: an optional fd, <<, an optional -, and the delimiter.
const HEREDOC_WORD = /^(\d*)<<(-?)([^<]+)$/;

/** The index of the last value ≤ `x` in ascending `sorted` (-1 when there is none), by binary search. */
export function lastAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

const isComment = (line: string) => /^\s*#/.test(line);
const isBlank = (line: string) => /^\s*$/.test(line);

/**
 * `line` without a trailing escape character (and spaces after it); `continues` when there was one. As BuildKit's
 * `([^\\])\\[ \t]*$|^\\[ \t]*$`: an escape that is itself escaped (`C:\\`) does not continue the line.
 */
function trimContinuation(line: string, escape: string): { text: string; continues: boolean } {
  let end = line.length;
  while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
  if (end > 0 && line[end - 1] === escape && (end === 1 || line[end - 2] !== escape)) return { text: line.slice(0, end - 1), continues: true };
  return { text: line, continues: false };
}

/** A parser directive (`# escape=\``), read without a regular expression (V8 backtracks on `(.+?)\s*$`). */
function directiveOf(line: string): { key: string; value: string } | null {
  const text = line.trim();
  if (!text.startsWith("#")) return null;
  const eq = text.indexOf("=");
  if (eq < 0) return null;
  const key = text.slice(1, eq).trim();
  const value = text.slice(eq + 1).trim();
  return /^[a-zA-Z][a-zA-Z0-9]*$/.test(key) && value !== "" ? { key: key.toLowerCase(), value } : null;
}

/**
 * Splits on whitespace outside quotes, keeping quotes and escapes in the words (BuildKit's parseWords). `lineOf`
 * gives the source line of an offset in the joined text.
 */
function splitWords(text: string, escape: string, lineOf: (offset: number) => number = () => 0): Word[] {
  const words: Word[] = [];
  let current = "";
  let start = -1;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === null && (ch === " " || ch === "\t")) {
      if (start >= 0) words.push({ text: current, offset: start, line: lineOf(start) });
      current = "";
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    current += ch;
    if (ch === escape && quote !== "'" && i + 1 < text.length) {
      current += text[++i]!;
      continue;
    }
    if (quote === null && (ch === '"' || ch === "'")) quote = ch;
    else if (quote === ch) quote = null;
  }
  if (start >= 0) words.push({ text: current, offset: start, line: lineOf(start) });
  return words;
}

/** A word with its quotes removed and escapes applied (no variable expansion); `\$` keeps its escape for substitution. */
export function unquote(word: string, escape: string): string {
  let out = "";
  let quote: string | null = null;
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else out += ch;
      continue;
    }
    if (ch === escape && i + 1 < word.length) {
      const next = word[i + 1]!;
      if (next === "$") out += ch;
      if (quote === '"' && next !== '"' && next !== escape && next !== "$") out += ch;
      out += next;
      i++;
      continue;
    }
    if (quote === null && (ch === '"' || ch === "'")) quote = ch;
    else if (quote === '"' && ch === '"') quote = null;
    else out += ch;
  }
  return out;
}

/** The heredocs a RUN/COPY/ADD line opens, in order (BuildKit's heredocsFromLine). */
function heredocsOf(words: readonly Word[], escape: string): { name: string; chomp: boolean }[] {
  const found: { name: string; chomp: boolean }[] = [];
  for (const { text } of words) {
    const match = HEREDOC_WORD.exec(text);
    if (!match) continue;
    const name = unquote(match[3]!, escape);
    // A delimiter the shell would split ("<<EOF;", "<<a b") is not one word: BuildKit takes no heredoc from it.
    if (name === "" || /\s/.test(name)) continue;
    found.push({ name, chomp: match[2] === "-" });
  }
  return found;
}

export function readInstructions(source: string): ReadResult {
  // Lines end at "\n" (a "\r" before it goes); a lone "\r" is part of its line, as for BuildKit's scanner.
  const lines = source.replace(/^\uFEFF/, "").split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const directives: Record<string, string> = {};
  let escape = "\\";
  let i = 0;
  // Parser directives: only at the very top, before any blank line, other comment or instruction.
  for (; i < lines.length; i++) {
    const directive = directiveOf(lines[i]!);
    if (!directive || !DIRECTIVES.has(directive.key)) break;
    if (directive.key in directives) return { ok: false, error: `line ${i + 1}: only one ${directive.key} parser directive can be used` };
    directives[directive.key] = directive.value;
    if (directive.key === "escape") {
      if (directive.value !== "\\" && directive.value !== "`") return { ok: false, error: `line ${i + 1}: invalid escape token '${directive.value}' (it must be \` or \\)` };
      escape = directive.value;
    }
  }

  const instructions: RawInstruction[] = [];
  while (i < lines.length) {
    const first = lines[i]!;
    if (isComment(first) || isBlank(first)) {
      i++;
      continue;
    }
    const startLine = i;
    // The logical line, and where each joined piece starts, to give every word its source line.
    let { text: joined, continues } = trimContinuation(first.replace(/^\s+/, ""), escape);
    // Where each joined piece starts in the logical line, and its source line, to give every word its line.
    const offsets = [0];
    const pieceLines = [i];
    i++;
    while (continues && i < lines.length) {
      const next = lines[i]!;
      if (isComment(next) || isBlank(next)) {
        i++;
        continue;
      }
      // Only an instruction's first line loses its leading space: "FROM alpine\\" + "  AS build" is three words.
      const piece = trimContinuation(next, escape);
      offsets.push(joined.length);
      pieceLines.push(i);
      joined += piece.text;
      continues = piece.continues;
      i++;
    }
    const lineOf = (offset: number) => pieceLines[Math.max(0, lastAtMost(offsets, offset))]!;
    // A line that was only a continuation (or continued into nothing) holds no instruction.
    if (joined.trim() === "") continue;
    const keywordMatch = /^(\S+)\s*/.exec(joined.trimStart())!;
    const keyword = keywordMatch[1]!;
    const argsOffset = joined.length - joined.trimStart().length + keywordMatch[0].length;
    const args = joined.slice(argsOffset).trimEnd();
    const words = splitWords(args, escape, (offset) => lineOf(offset + argsOffset));
    const heredocs: Heredoc[] = [];
    // ONBUILD RUN/COPY/ADD take heredocs too (BuildKit's heredocCompoundDirectives).
    const heredocCapable = HEREDOC_INSTRUCTIONS.has(keyword.toUpperCase()) || (keyword.toUpperCase() === "ONBUILD" && HEREDOC_INSTRUCTIONS.has(words[0]?.text.toUpperCase() ?? ""));
    if (heredocCapable && args.includes("<<")) {
      for (const opened of heredocsOf(words, escape)) {
        const firstLine = i;
        let body = "";
        let terminated = false;
        for (; i < lines.length; i++) {
          const candidate = opened.chomp ? lines[i]!.replace(/^\t+/, "") : lines[i]!;
          if (candidate === opened.name) {
            terminated = true;
            break;
          }
          body += `${opened.chomp ? lines[i]!.replace(/^\t+/, "") : lines[i]!}\n`;
        }
        if (!terminated) return { ok: false, error: `line ${startLine + 1}: unterminated heredoc: no line "${opened.name}" ends the heredoc opened here` };
        heredocs.push({ name: opened.name, chomp: opened.chomp, body, firstLine, terminatorLine: i });
        i++;
      }
    }
    instructions.push({ keyword, startLine, endLine: Math.max(i - 1, startLine), args, words, heredocs });
  }
  return { ok: true, escape, directives, instructions, lines };
}
