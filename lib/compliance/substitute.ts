// Dockerfile variable substitution: $NAME, ${NAME}, ${NAME:-word}, ${NAME-word}, ${NAME:+word}, ${NAME+word}.

/** A variable's value: a string, null when declared without a value, undefined when not declared. */
export type Lookup = (name: string) => string | null | undefined;

export type Substituted = {
  value: string;
  /** Variables that had no value and no default, in order of appearance (each once). */
  unresolved: string[];
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Expands variables the way BuildKit does for FROM, USER, EXPOSE and friends. `escape` followed by
 * `$` is a literal dollar. Forms this does not understand (${NAME#pattern}, ${NAME%pattern}...) are
 * left as written and reported unresolved rather than guessed.
 */
export function substitute(text: string, lookup: Lookup, escape = "\\"): Substituted {
  const unresolved = new Set<string>();
  const value = expand(text, lookup, escape, unresolved);
  return { value, unresolved: [...unresolved] };
}

function expand(text: string, lookup: Lookup, escape: string, unresolved: Set<string>): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === escape && text[i + 1] === "$") {
      out += "$";
      i += 2;
    } else if (c === "$" && text[i + 1] === "{") {
      const end = closingBrace(text, i + 2);
      if (end < 0) {
        out += text.slice(i);
        break;
      }
      out += expandBraced(text.slice(i + 2, end), text.slice(i, end + 1), lookup, escape, unresolved);
      i = end + 1;
    } else if (c === "$") {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name === undefined) {
        out += "$";
        i += 1;
      } else {
        out += valueOf(name, lookup, unresolved);
        i += 1 + name.length;
      }
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`, allowing nested `${...}` in defaults; -1 if none. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "{") {
      depth += 1;
      i += 1;
    } else if (text[i] === "}") {
      if (depth === 0) return i;
      depth -= 1;
    }
  }
  return -1;
}

function expandBraced(body: string, written: string, lookup: Lookup, escape: string, unresolved: Set<string>): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) {
    unresolved.add(written);
    return written;
  }
  const rest = body.slice(name.length);
  if (rest === "") return valueOf(name, lookup, unresolved);
  const modifier = /^(:?[-+])/.exec(rest)?.[1];
  if (modifier === undefined) {
    unresolved.add(name);
    return written;
  }
  const word = () => expand(rest.slice(modifier.length), lookup, escape, unresolved);
  const current = lookup(name);
  const isSet = current !== undefined && current !== null;
  const isNonEmpty = isSet && current !== "";
  switch (modifier) {
    case ":-":
      return isNonEmpty ? current : word();
    case "-":
      return isSet ? current : word();
    case ":+":
      return isNonEmpty ? word() : "";
    default: // "+"
      return isSet ? word() : "";
  }
}

function valueOf(name: string, lookup: Lookup, unresolved: Set<string>): string {
  const value = lookup(name);
  if (value === undefined || value === null) {
    unresolved.add(name);
    return "";
  }
  return value;
}

/** True when the text holds a variable reference ($NAME or ${...}) that is not escaped. */
export function hasVariable(text: string, escape = "\\"): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === escape && text[i + 1] === "$") i += 1;
    else if (text[i] === "$" && (text[i + 1] === "{" || NAME.test(text.slice(i + 1, i + 2)))) return true;
  }
  return false;
}
