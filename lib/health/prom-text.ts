// Reads the sample lines of the Prometheus text exposition format (version 0.0.4), as a blackbox_exporter answers
// `/probe`. Written here rather than taken from a library: prom-client (a dependency, for `/metrics`) only writes
// the format, and the npm parsers are larger than the few lines needed to read a handful of gauges. This reads what
// the format allows on a sample line (labels with escapes, NaN and ±Inf, exponents, an optional timestamp) and skips
// comments (`# HELP`, `# TYPE`, OpenMetrics' `# EOF`); a line it cannot read is skipped, never guessed at.

export type PromSample = { name: string; labels: Readonly<Record<string, string>>; value: number; timestampMs: number | null };

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
/** As Go's strconv.ParseFloat reads the decimal forms the format uses; hexadecimal floats are not expected here. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^-?\d+$/;

/** Every sample line of `text`, in order. Malformed lines are left out. */
export function parsePromText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const raw of text.split("\n")) {
    const sample = parseLine(raw.endsWith("\r") ? raw.slice(0, -1) : raw);
    if (sample) samples.push(sample);
  }
  return samples;
}

/** The value of the sample named `name` that has no labels (the first, should there be several), if any. */
export function unlabelledValue(samples: readonly PromSample[], name: string): number | undefined {
  return samples.find((s) => s.name === name && Object.keys(s.labels).length === 0)?.value;
}

/** A sample value: a decimal number (exponents allowed), `NaN`, or `+Inf` / `-Inf` / `Inf` (any case). */
export function parseSampleValue(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  const word = token.toLowerCase();
  if (word === "nan") return Number.NaN;
  if (/^[+]?inf(inity)?$/.test(word)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/.test(word)) return Number.NEGATIVE_INFINITY;
  return undefined;
}

function parseLine(line: string): PromSample | null {
  let rest = trimStart(line);
  if (rest === "" || rest.startsWith("#")) return null;
  const name = METRIC_NAME.exec(rest)?.[0];
  if (!name) return null;
  rest = rest.slice(name.length);
  // The name ends at a blank or `{`: `metric-name 1` is not the sample `metric`.
  if (!/^[ \t{]/.test(rest)) return null;
  rest = trimStart(rest);
  let labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    const read = readLabels(rest);
    if (!read) return null;
    labels = read.labels;
    rest = rest.slice(read.length);
  }
  const tokens = rest.split(/[ \t]+/).filter((t) => t !== "");
  if (tokens.length < 1 || tokens.length > 2) return null;
  const value = parseSampleValue(tokens[0]!);
  if (value === undefined) return null;
  let timestampMs: number | null = null;
  if (tokens.length === 2) {
    if (!TIMESTAMP.test(tokens[1]!)) return null;
    timestampMs = Number(tokens[1]);
  }
  return { name, labels, value, timestampMs };
}

/** `{a="1",b="x\"y"}` at the start of `text` → the labels and how many characters they took; null when malformed. */
function readLabels(text: string): { labels: Record<string, string>; length: number } | null {
  const labels: Record<string, string> = {};
  let i = 1; // past `{`
  const skipBlanks = () => {
    while (text[i] === " " || text[i] === "\t") i++;
  };
  for (;;) {
    skipBlanks();
    if (text[i] === "}") return { labels, length: i + 1 };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) return null;
    i += name.length;
    skipBlanks();
    if (text[i] !== "=") return null;
    i++;
    skipBlanks();
    if (text[i] !== '"') return null;
    i++;
    let value = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) return null; // the line ended inside a quoted value
      i++;
      if (c === '"') break;
      if (c !== "\\") {
        value += c;
        continue;
      }
      const escaped = text[i++];
      if (escaped === "n") value += "\n";
      else if (escaped === "\\" || escaped === '"') value += escaped;
      else return null; // only \\, \" and \n are escapes in this format
    }
    if (Object.hasOwn(labels, name)) return null; // a label given twice
    labels[name] = value;
    skipBlanks();
    if (text[i] === ",") i++;
    else if (text[i] !== "}") return null;
  }
}

function trimStart(text: string): string {
  return text.replace(/^[ \t]+/, "");
}
