// What a simple command runs, once the shell reader (lib/shell/lexer.ts) has split it: the words that may stand
// before the program (keywords, `sudo`, `env`, VAR=value) in one list, the shells, and the scripts a command
// carries inside it (`$(…)`, backticks).

/** Words that may precede the program of a simple command. */
const COMMAND_PREFIXES = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "exec", "sudo", "nohup", "command", "env"]);
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export const SHELLS = new Set(["sh", "bash", "ash", "dash", "zsh", "ksh"]);

export function isCommandPrefix(word: string): boolean {
  return COMMAND_PREFIXES.has(word) || ENV_ASSIGNMENT.test(word);
}

/** The words from the program on: leading keywords, wrappers and VAR=value removed. */
export function withoutPrefixes(words: string[]): string[] {
  let start = 0;
  while (start < words.length && isCommandPrefix(words[start]!)) start += 1;
  return words.slice(start);
}

export function basename(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1);
}

/** The scripts of the `$(…)` and backtick substitutions in a word, outermost first. */
export function substitutionsIn(word: string): string[] {
  const scripts: string[] = [];
  for (let i = 0; i < word.length; i++) {
    if (word[i] === "$" && word[i + 1] === "(" && word[i + 2] !== "(") {
      const end = closing(word, i + 2);
      scripts.push(word.slice(i + 2, end));
      i = end;
    } else if (word[i] === "`") {
      const end = word.indexOf("`", i + 1);
      const stop = end < 0 ? word.length : end;
      scripts.push(word.slice(i + 1, stop));
      i = stop;
    }
  }
  return scripts;
}

/** Index of the `)` that closes a `$(` whose script starts at `from` (or the end), honouring nesting and quotes. */
function closing(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      i = end < 0 ? text.length : end;
    } else if (c === "\\") i += 1;
    else if (c === "(") depth += 1;
    else if (c === ")" && --depth === 0) return i;
  }
  return text.length;
}
