// One Compose file's YAML as plain values that remember where they were written: each mapping and sequence
// produced here knows the line of each of its entries, so a finding can cite file, line and excerpt even when the
// value came through an anchor or a merge key. Parsing is the `yaml` package's (YAML 1.2 with `<<` merge keys, as
// `docker compose` reads them); the conversion is ours because the package's toJS() drops positions.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type ParsedNode, type Scalar } from "yaml";
import { interpolate, InterpolationError, type Lookup } from "@/lib/deploy/compose/interpolate";

/** `!reset` (drop what earlier files set) and `!override` (replace instead of merging), Compose's merge tags. */
export const RESET = Symbol("compose !reset");
export class Override {
  constructor(readonly value: unknown) {}
}

export type ComposeProblem = { file: string; line: number | null; message: string; excerpt: string | null };

/** Where a value was written: 1-based line in `file`, and that line as written (trimmed, at most 300 characters). */
export type Position = { file: string; line: number; excerpt: string };

const positions = new WeakMap<object, Map<string | number, Position>>();

/** The line an entry of a mapping (by key) or a sequence (by index) produced by readComposeYaml was written on. */
export function positionOf(container: unknown, key: string | number): Position | null {
  return (container !== null && typeof container === "object" && positions.get(container)?.get(key)) || null;
}

/** Copies what positionOf knows about `from`'s entries to `to` (for values rebuilt while merging). */
export function keepPositions(from: unknown, to: object, rename: (key: string | number) => string | number = (k) => k): void {
  const known = from !== null && typeof from === "object" ? positions.get(from) : undefined;
  if (!known) return;
  const target = positions.get(to) ?? new Map<string | number, Position>();
  for (const [key, position] of known) target.set(rename(key), position);
  positions.set(to, target);
}

export function setPosition(container: object, key: string | number, position: Position | null): void {
  if (!position) return;
  const target = positions.get(container) ?? new Map<string | number, Position>();
  target.set(key, position);
  positions.set(container, target);
}

/** The most values a file may expand to, aliases included: a "billion laughs" file is refused, not expanded. */
const MAX_VALUES = 1_000_000;
const MAX_DEPTH = 64;

class Reader {
  private values = 0;
  readonly problems: ComposeProblem[] = [];
  private readonly lines: string[];

  /** Anchored nodes by name, in document order: an alias names the last one before it. */
  private readonly anchors = new Map<string, { offset: number; node: Node }[]>();

  constructor(
    private readonly file: string,
    text: string,
    private readonly counter: LineCounter,
    doc: Document.Parsed,
    private readonly lookup: Lookup,
  ) {
    this.lines = text.split(/\r?\n/);
    // Collected once: the package's Alias.resolve() searches the whole document for each alias, which makes a
    // file with a thousand `<<: *hardened` services take seconds.
    visit(doc, {
      Node: (_, node) => {
        const anchor = (node as { anchor?: string }).anchor;
        if (anchor) this.anchors.set(anchor, [...(this.anchors.get(anchor) ?? []), { offset: (node as ParsedNode).range?.[0] ?? 0, node }]);
      },
    });
  }

  private resolve(alias: { source: string; range?: [number, number, number] }): Node | null {
    const offset = alias.range?.[0] ?? Infinity;
    const candidates = this.anchors.get(alias.source) ?? [];
    let found: Node | null = null;
    for (const c of candidates) if (c.offset < offset) found = c.node;
    return found;
  }

  lineOf(node: Node | null | undefined): number | null {
    const offset = (node as ParsedNode | undefined)?.range?.[0];
    return offset === undefined ? null : this.counter.linePos(offset).line;
  }

  excerpt(line: number | null): string | null {
    return line === null ? null : (this.lines[line - 1]?.trim().slice(0, 300) ?? null);
  }

  problem(node: Node | null | undefined, message: string): void {
    const line = this.lineOf(node);
    this.problems.push({ file: this.file, line, message, excerpt: this.excerpt(line) });
  }

  value(node: unknown, depth: number, untagged = false): unknown {
    if (depth > MAX_DEPTH) {
      this.problem(node as Node, `nested more than ${MAX_DEPTH} levels deep`);
      return null;
    }
    if (++this.values > MAX_VALUES) {
      if (this.values === MAX_VALUES + 1) this.problem(node as Node, `the file expands to more than ${MAX_VALUES} values through its aliases: refused, as a file that expands without bound would be`);
      return null;
    }
    if (isAlias(node)) {
      const target = this.resolve(node as { source: string; range?: [number, number, number] });
      if (!target) {
        this.problem(node, `the alias *${(node as { source: string }).source} names no anchor before it`);
        return null;
      }
      return this.value(target, depth + 1);
    }
    const tag = untagged ? undefined : (node as { tag?: string } | null)?.tag;
    if (tag === "!reset") return RESET;
    if (tag === "!override") return new Override(this.value(node, depth + 1, true));
    if (isMap(node)) return this.map(node, depth);
    if (isSeq(node)) {
      const list: unknown[] = [];
      for (const item of node.items) {
        setPosition(list, list.length, this.position(item as Node));
        list.push(this.value(item, depth + 1));
      }
      return list;
    }
    if (isScalar(node)) return this.scalar(node);
    return null;
  }

  private position(node: Node | null | undefined): Position | null {
    const line = this.lineOf(node);
    return line === null ? null : { file: this.file, line, excerpt: this.excerpt(line) ?? "" };
  }

  private scalar(node: Scalar): unknown {
    if (typeof node.value !== "string") return node.value;
    try {
      const { value } = interpolate(node.value, this.lookup);
      return value;
    } catch (error) {
      if (!(error instanceof InterpolationError)) throw error;
      this.problem(node, error.message);
      return null;
    }
  }

  private map(node: { items: unknown[] }, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = Object.create(null);
    const own = new Set<string>();
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : null;
      if (key === null) {
        this.problem(keyNode, "a mapping key must be a plain value");
        continue;
      }
      if (key === "<<" && (!isScalar(keyNode) || keyNode.type === "PLAIN")) {
        // Merge keys: later sources do not override earlier ones, and the mapping's own keys override them all.
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) {
          const value = this.value(source, depth + 1);
          if (value && typeof value === "object" && !Array.isArray(value) && !(value instanceof Override)) merged.push(value as Record<string, unknown>);
          else this.problem(source as Node, "a merge key (<<) must name mappings");
        }
        continue;
      }
      if (own.has(key)) {
        this.problem(keyNode, `"${key}" is set twice in one mapping`);
        continue;
      }
      own.add(key);
      setPosition(out, key, this.position(keyNode));
      // Compose interpolates values, never keys.
      out[key] = this.value(pair.value, depth + 1);
    }
    for (const source of merged) {
      for (const key of Object.keys(source)) {
        if (key in out) continue;
        out[key] = source[key];
        setPosition(out, key, positionOf(source, key));
      }
    }
    return out;
  }
}

export type ReadYaml = { value: Record<string, unknown> | null; problems: ComposeProblem[] };

/**
 * One Compose file: parsed, every string value interpolated with `lookup`, as plain values with positions.
 * Any problem (YAML syntax, a bad interpolation, a missing required variable, a top level that is not a
 * mapping) is returned with its line; the value is then null, so nothing of a broken file is used.
 */
export function readComposeYaml(file: string, text: string, lookup: Lookup): ReadYaml {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, merge: false, uniqueKeys: false, prettyErrors: false, strict: false, customTags: [] });
  const lines = text.split(/\r?\n/);
  const problems: ComposeProblem[] = doc.errors.map((error) => {
    const line = error.pos?.[0] === undefined ? null : counter.linePos(error.pos[0]).line;
    return { file, line, message: error.message.split("\n")[0]!, excerpt: line === null ? null : (lines[line - 1]?.trim().slice(0, 300) ?? null) };
  });
  if (problems.length > 0) return { value: null, problems };
  const reader = new Reader(file, text, counter, doc, lookup);
  const value = doc.contents === null ? {} : reader.value(doc.contents, 0);
  if (reader.problems.length > 0) return { value: null, problems: reader.problems };
  if (value === null || typeof value !== "object" || Array.isArray(value) || value instanceof Override) {
    return { value: null, problems: [{ file, line: 1, message: "a Compose file must be a mapping (services:, networks:, …)", excerpt: lines[0]?.trim() ?? null }] };
  }
  return { value: value as Record<string, unknown>, problems: [] };
}
