// ~300 mutations of the fixture Dockerfiles: whatever the damage, the analyser returns a well-formed result.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyseDockerfile } from "@/lib/compliance/analyse";
import { FIXTURE_ROOT, hasLucidFixtures, SMALL_CHECKOUT } from "@/lib/testing/lucid-fixtures";
import { DOCKERFILE_RULES } from "@/lib/compliance/rules";

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function dockerfiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return dockerfiles(full);
    return entry.startsWith("Dockerfile") ? [full] : [];
  });
}

type Mutation = (lines: string[], random: () => number) => string[];

const pick = (random: () => number, n: number) => Math.floor(random() * n);

const MUTATIONS: Record<string, Mutation> = {
  deleteLine: (lines, r) => lines.filter((_, i) => i !== pick(r, lines.length)),
  duplicateLine: (lines, r) => {
    const i = pick(r, lines.length);
    return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)];
  },
  swapLines: (lines, r) => {
    const out = [...lines];
    const i = pick(r, out.length);
    const j = pick(r, out.length);
    [out[i], out[j]] = [out[j]!, out[i]!];
    return out;
  },
  insertRandomBytes: (lines, r) => {
    const i = pick(r, lines.length);
    const bytes = String.fromCharCode(...Array.from({ length: 1 + pick(r, 24) }, () => pick(r, 256)));
    const line = lines[i] ?? "";
    const at = pick(r, line.length + 1);
    return [...lines.slice(0, i), line.slice(0, at) + bytes + line.slice(at), ...lines.slice(i + 1)];
  },
  truncate: (lines, r) => {
    const text = lines.join("\n");
    return text.slice(0, pick(r, text.length)).split("\n");
  },
  flipContinuations: (lines, r) =>
    lines.map((line) => {
      if (r() > 0.3) return line;
      return line.endsWith("\\") ? line.slice(0, -1) : `${line} \\`;
    }),
  shuffleFroms: (lines, r) => lines.map((line) => (/^\s*FROM\s/i.test(line) && r() < 0.5 ? line.replace(/ AS \S+/i, "").replace(/:[\w.-]+/, "") : line)),
  // A heredoc wrapped around a run of lines: what was instructions becomes a body (and USER/FROM in it must vanish).
  wrapInHeredoc: (lines, r) => {
    const i = pick(r, lines.length);
    const j = Math.min(lines.length, i + 1 + pick(r, 6));
    const opener = ["RUN <<EOF", "COPY <<'EOF' /etc/x", "RUN <<-EOF", "RUN cat <<EOF > /x && cat <<EOF2 > /y"][pick(r, 4)]!;
    const closers = opener.includes("EOF2") ? ["EOF", "EOF2"] : ["EOF"];
    return [...lines.slice(0, i), opener, ...lines.slice(i, j), ...(r() < 0.8 ? closers : []), ...lines.slice(j)];
  },
  // Continuations joining instructions, blank and comment lines inside them.
  joinWithContinuation: (lines, r) => {
    const i = pick(r, lines.length);
    const filler = ["", "# note", "   ", "\\"][pick(r, 4)]!;
    return [...lines.slice(0, i), `${lines[i] ?? ""} \\`, filler, ...lines.slice(i + 1)];
  },
  injectSyntax: (lines, r) => {
    const snippets = ["RUN <<EOF", "HEALTHCHECK", "USER", "ENV ${", "ARG X=${Y:-${Z", 'CMD ["unterminated', "EXPOSE 99999 abc -1", "FROM --platform=", "# escape=`", "COPY <<'EOT' /x", "ADD http://", "FROM $NOPE AS $ALSO"];
    const i = pick(r, lines.length + 1);
    return [...lines.slice(0, i), snippets[pick(r, snippets.length)]!, ...lines.slice(i)];
  },
};

const MUTATION_NAMES = Object.keys(MUTATIONS);
const CASES = 300;

describe("fuzzing the analyser with mutated fixture Dockerfiles", () => {
  // The real Lucid Dockerfiles where present, and always the small ones written here.
  const real = hasLucidFixtures ? dockerfiles(FIXTURE_ROOT).sort() : [];
  const files = [...real, ...dockerfiles(SMALL_CHECKOUT).sort()];
  const originals = files.map((f) => readFileSync(f, "utf8"));

  it(`survives ${CASES} seeded mutations with well-formed results`, () => {
    if (hasLucidFixtures) expect(real).toHaveLength(26);
    expect(files.length).toBeGreaterThanOrEqual(3);
    const random = prng(20261127);
    const ruleIds = DOCKERFILE_RULES.map((r) => r.id);
    for (let n = 0; n < CASES; n++) {
      const file = pick(random, files.length);
      let lines = originals[file]!.split("\n");
      const applied: string[] = [];
      for (let k = 0, count = 1 + pick(random, 3); k < count; k++) {
        const name = MUTATION_NAMES[pick(random, MUTATION_NAMES.length)]!;
        applied.push(name);
        lines = MUTATIONS[name]!(lines, random);
      }
      const label = `case ${n}: ${path.basename(files[file]!)} with ${applied.join(", ")}`;
      let result;
      try {
        result = analyseDockerfile(lines.join("\n"), { port: 8080 });
      } catch (error) {
        throw new Error(`${label} threw: ${String(error)}`);
      }
      expect(result.findings.map((f) => f.rule), label).toEqual(ruleIds);
      expect(result.parseError === null || typeof result.parseError === "string", label).toBe(true);
      const lineCount = lines.length;
      for (const f of result.findings) {
        expect(["pass", "fail", "warn", "n/a"], label).toContain(f.status);
        expect(f.message, label).not.toMatch(/internal error/);
        expect(f.message.length, label).toBeGreaterThan(0);
        if (f.line !== null) expect(f.line >= 1 && f.line <= lineCount, `${label}: ${f.rule} line ${f.line}`).toBe(true);
        if (result.parseError !== null && f.rule !== "dockerfile-present") expect(f.status, label).toBe("n/a");
      }
    }
  });
});
