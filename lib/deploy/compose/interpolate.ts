// Variable interpolation in Compose values, as the Compose specification defines it and `docker compose` applies
// it: `$VAR` and `${VAR}`; `${VAR:-default}`, `${VAR-default}`; `${VAR:?error}`, `${VAR?error}`;
// `${VAR:+replacement}`, `${VAR+replacement}`; operands nested (`${A:-${B:-x}}`); `$$` for a literal `$`.
// Anything else in braces (`${PORT:8801}`, `${VAR/a/b}`) is an invalid interpolation format, which Compose refuses.
// A `$` not followed by a name or a brace stays as it is. Written here because no maintained JavaScript package
// implements Compose's rules (shell-expansion packages differ on `$$`, on unset versus empty, and on errors).

/** How a variable is looked up: its value, or undefined when it is not set at all (set-but-empty is ""). */
export type Lookup = (name: string) => string | undefined;

export type InterpolationProblem =
  | { kind: "invalid"; message: string; offset: number }
  | { kind: "required"; message: string; offset: number; variable: string };

export class InterpolationError extends Error {
  constructor(readonly problem: InterpolationProblem) {
    super(problem.message);
    this.name = "InterpolationError";
  }
}

export type Interpolated = { value: string; /** Variables that were not set and had no default: "" was used (Compose warns). */ unset: string[] };

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
/** Defaults nested deeper than this are refused rather than followed (a crafted value could exhaust the stack). */
const MAX_NESTING = 32;
const OPERATORS = [":-", ":?", ":+", "-", "?", "+"] as const;
type Operator = (typeof OPERATORS)[number];

/** The index of the `}` closing the `${` at `start`, counting nested `${`; -1 when there is none. */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "$") i += 1;
    else if (text[i] === "$" && text[i + 1] === "{") ((depth += 1), (i += 1));
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function invalid(text: string, offset: number): InterpolationError {
  return new InterpolationError({
    kind: "invalid",
    offset,
    message: `invalid interpolation format "${text.slice(0, 120)}": Compose accepts \${VAR}, \${VAR:-default}, \${VAR-default}, \${VAR:?error}, \${VAR?error}, \${VAR:+value} and \${VAR+value}; write $$ for a literal $`,
  });
}

/** `text` with every variable replaced; throws InterpolationError for a malformed expression or a missing required variable. */
export function interpolate(text: string, lookup: Lookup): Interpolated {
  const unset: string[] = [];
  const value = expand(text, lookup, unset, 0, 0);
  return { value, unset: [...new Set(unset)] };
}

function expand(text: string, lookup: Lookup, unset: string[], base: number, depth: number): string {
  if (depth > MAX_NESTING) {
    throw new InterpolationError({ kind: "invalid", offset: base, message: `interpolation nested more than ${MAX_NESTING} levels deep` });
  }
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar === -1) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
      continue;
    }
    if (next === "{") {
      const end = closingBrace(text, dollar);
      if (end === -1) throw invalid(text.slice(dollar), base + dollar);
      out += braced(text.slice(dollar + 2, end), lookup, unset, base + dollar, depth);
      i = end + 1;
      continue;
    }
    const name = NAME.exec(text.slice(dollar + 1))?.[0];
    if (name) {
      const found = lookup(name);
      if (found === undefined) unset.push(name);
      out += found ?? "";
      i = dollar + 1 + name.length;
      continue;
    }
    out += "$";
    i = dollar + 1;
  }
  return out;
}

function braced(inner: string, lookup: Lookup, unset: string[], offset: number, depth: number): string {
  const name = NAME.exec(inner)?.[0];
  if (!name) throw invalid(`\${${inner}}`, offset);
  const rest = inner.slice(name.length);
  const found = lookup(name);
  if (rest === "") {
    if (found === undefined) unset.push(name);
    return found ?? "";
  }
  const operator = OPERATORS.find((op) => rest.startsWith(op)) as Operator | undefined;
  if (!operator) throw invalid(`\${${inner}}`, offset);
  const operand = () => expand(rest.slice(operator.length), lookup, unset, offset + 2 + name.length + operator.length, depth + 1);
  const present = operator.startsWith(":") ? found !== undefined && found !== "" : found !== undefined;
  switch (operator) {
    case ":-":
    case "-":
      return present ? found! : operand();
    case ":+":
    case "+":
      return present ? operand() : "";
    case ":?":
    case "?": {
      if (present) return found!;
      const reason = operand();
      throw new InterpolationError({
        kind: "required",
        variable: name,
        offset,
        message: `required variable ${name} is ${found === undefined ? "not set" : "empty"}${reason ? `: ${reason}` : ""}`,
      });
    }
  }
}
