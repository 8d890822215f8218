// The one shell reader: splits shell source into simple commands of words, with the line each word starts on.
// Used by the plan parser (docker buildx build commands in a document) and by compliance (the programs a RUN
// starts). Nothing is ever executed or expanded. Hand-written because the npm shell parsers either expand
// variables (shell-quote), drop line numbers, or are unmaintained; this reads just the POSIX subset we need.

/** A word as written, quotes removed; `$(…)`, `${…}` and backtick substitutions kept verbatim inside it. */
export type Word = { text: string; line: number };

/** A simple command: its words, the line it ends on, and the bodies of the heredocs it opened. */
export type ShellCommand = { words: Word[]; endLine: number; heredocs: string[] };

export type ShellIssue = { line: number; message: string };

export type TokenizedShell = { commands: ShellCommand[]; issues: ShellIssue[] };

/** Reads `source`, whose first line is line `firstLine` of the file it comes from. */
export function tokenizeShell(source: string, firstLine = 1): TokenizedShell {
  return new ShellLexer(source, firstLine).run();
}

function isOneOf(char: string, set: string): boolean {
  return char.length === 1 && set.includes(char);
}

/**
 * Splits a shell block into simple commands made of words. Quotes are removed, while
 * `$(…)`, `${…}` and backtick substitutions are kept verbatim inside their word.
 */
class ShellLexer {
  private pos = 0;
  private line: number;
  private readonly commands: ShellCommand[] = [];
  private readonly issues: ShellIssue[] = [];
  private words: Word[] = [];
  private word: string | null = null;
  private wordLine = 0;
  private redirect: "none" | "target" | "heredoc" = "none";
  private heredocStripsTabs = false;
  /** Heredocs opened on the current line, read after it; `owner` is the command that opened each. */
  private heredocs: { delimiter: string; stripTabs: boolean; owner: ShellCommand | null }[] = [];

  constructor(
    private readonly source: string,
    firstLine: number,
  ) {
    this.line = firstLine;
  }

  run(): TokenizedShell {
    while (!this.atEnd()) this.step();
    this.endCommand();
    return { commands: this.commands, issues: this.issues };
  }

  private atEnd(): boolean {
    return this.pos >= this.source.length;
  }

  private peek(offset = 0): string {
    return this.source.charAt(this.pos + offset);
  }

  private take(): string {
    const char = this.source.charAt(this.pos);
    this.pos++;
    if (char === "\n") this.line++;
    return char;
  }

  private step(): void {
    const char = this.peek();
    if (char === "\\" && this.skipContinuation()) return;
    if (char === " " || char === "\t" || char === "\r") {
      this.endWord();
      this.take();
    } else if (char === "\n") {
      this.endCommand();
      this.take();
      this.skipHeredocBodies();
    } else if (char === "#" && this.word === null) {
      this.skipComment();
    } else if (isOneOf(char, ";&|()")) {
      this.endCommand();
      this.take();
    } else if (char === "<" || char === ">") {
      this.readRedirection();
    } else {
      const line = this.line;
      this.appendToWord(this.readWordPart(), line);
    }
  }

  private appendToWord(part: string, line: number): void {
    if (this.word === null) {
      this.word = "";
      this.wordLine = line;
    }
    this.word += part;
  }

  private endWord(): void {
    if (this.word === null) return;
    const text = this.word;
    this.word = null;
    if (this.redirect === "heredoc") this.heredocs.push({ delimiter: text, stripTabs: this.heredocStripsTabs, owner: null });
    if (this.redirect !== "none") {
      this.redirect = "none";
      return;
    }
    this.words.push({ text, line: this.wordLine });
  }

  private endCommand(): void {
    this.endWord();
    const opened = this.heredocs.filter((h) => h.owner === null);
    if (this.words.length > 0 || opened.length > 0) {
      const command: ShellCommand = { words: this.words, endLine: this.line, heredocs: [] };
      this.commands.push(command);
      for (const heredoc of opened) heredoc.owner = command;
    }
    this.words = [];
    this.redirect = "none";
  }

  /** A backslash followed by optional blanks and a newline joins the next line. */
  private skipContinuation(): boolean {
    let ahead = this.pos + 1;
    while (isOneOf(this.source.charAt(ahead), " \t")) ahead++;
    const next = this.source.charAt(ahead);
    if (next !== "\n" && next !== "") return false;
    const rest = this.source.slice(ahead + 1);
    if (next === "" || rest.trim() === "") {
      this.issues.push({ line: this.line, message: "line ends with a \\ continuation but the code block ends before the command does" });
      this.pos = this.source.length;
      return true;
    }
    while (this.take() !== "\n");
    return true;
  }

  private skipComment(): void {
    while (!this.atEnd() && this.peek() !== "\n") this.take();
  }

  private readRedirection(): void {
    // "2>" redirects a file descriptor: the digits are not a word of their own.
    if (this.word !== null && /^\d+$/.test(this.word)) this.word = null;
    else this.endWord();
    let operator = this.take();
    while (operator.length < 3 && isOneOf(this.peek(), "<>&|")) operator += this.take();
    const heredoc = operator === "<<";
    this.heredocStripsTabs = heredoc && this.peek() === "-";
    if (this.heredocStripsTabs) this.take();
    this.redirect = heredoc ? "heredoc" : "target";
  }

  /** After the line that opened heredocs: their bodies, each kept on the command that opened it. */
  private skipHeredocBodies(): void {
    for (const { delimiter, stripTabs, owner } of this.heredocs) {
      const body: string[] = [];
      while (!this.atEnd()) {
        let text = "";
        while (!this.atEnd() && this.peek() !== "\n") text += this.take();
        if (!this.atEnd()) this.take();
        const line = stripTabs ? text.replace(/^\t+/, "") : text;
        if (line === delimiter) break;
        body.push(line);
      }
      owner?.heredocs.push(body.join("\n"));
    }
    this.heredocs = [];
  }

  private readWordPart(): string {
    const char = this.peek();
    if (char === "'") return this.readSingleQuoted();
    if (char === '"') return this.readDoubleQuoted();
    if (char === "$" && (this.peek(1) === "(" || this.peek(1) === "{")) return this.readExpansion();
    if (char === "`") return this.readBackticks();
    if (char === "\\") {
      this.take();
      return this.take();
    }
    return this.take();
  }

  private readSingleQuoted(): string {
    const openLine = this.line;
    this.take();
    let text = "";
    while (!this.atEnd()) {
      const char = this.take();
      if (char === "'") return text;
      text += char;
    }
    this.issues.push({ line: openLine, message: "unterminated single quote (') - the code block ends before it is closed" });
    return text;
  }

  private readDoubleQuoted(): string {
    const openLine = this.line;
    this.take();
    let text = "";
    while (!this.atEnd()) {
      const char = this.peek();
      if (char === '"') {
        this.take();
        return text;
      }
      if (char === "\\") text += this.readEscapeInDoubleQuotes();
      else if (char === "$" && (this.peek(1) === "(" || this.peek(1) === "{")) text += this.readExpansion();
      else if (char === "`") text += this.readBackticks();
      else text += this.take();
    }
    this.issues.push({ line: openLine, message: 'unterminated double quote (") - the code block ends before it is closed' });
    return text;
  }

  private readEscapeInDoubleQuotes(): string {
    this.take();
    const next = this.peek();
    if (next === "\n") {
      this.take();
      return "";
    }
    return isOneOf(next, '$`"\\') ? this.take() : "\\";
  }

  /** Reads `$(…)` or `${…}` verbatim, honouring nesting and quotes inside it. */
  private readExpansion(): string {
    const start = this.pos;
    const openLine = this.line;
    this.take();
    const opener = this.take();
    const closer = opener === "(" ? ")" : "}";
    let depth = 1;
    while (!this.atEnd()) {
      const char = this.peek();
      if (char === "'") this.readSingleQuoted();
      else if (char === '"') this.readDoubleQuoted();
      else if (char === "`") this.readBackticks();
      else if (char === "\\") {
        this.take();
        this.take();
      } else {
        this.take();
        if (char === opener) depth++;
        if (char === closer && --depth === 0) return this.source.slice(start, this.pos);
      }
    }
    this.issues.push({ line: openLine, message: `unterminated $${opener}…${closer} - the code block ends before it is closed` });
    return this.source.slice(start, this.pos);
  }

  private readBackticks(): string {
    const start = this.pos;
    const openLine = this.line;
    this.take();
    while (!this.atEnd()) {
      const char = this.take();
      if (char === "\\") this.take();
      else if (char === "`") return this.source.slice(start, this.pos);
    }
    this.issues.push({ line: openLine, message: "unterminated backtick (`) - the code block ends before it is closed" });
    return this.source.slice(start, this.pos);
  }
}
