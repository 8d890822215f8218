// no-secrets-in-env (error): no ENV or ARG, in any stage, hard-codes a secret. Two shapes count:
//   - a name like *SECRET*, *PASSWORD*, *PASSWD*, *TOKEN*, *API_KEY*, *PRIVATE_KEY*, *CREDENTIAL* with a
//     literal, non-empty value (a bare $VAR or ${VAR} is fine; ${VAR:-literal} is not: the default is
//     the secret). Names ending in _FILE, _PATH or _DIR point at a secret rather than hold it.
//   - any value with credentials in a URL (scheme://user:password@host), whatever the name.
// Every stage counts: the Dockerfile itself is in the repository, and ARG values land in the image history.
// Values are masked in messages and excerpts.
import type { Instruction } from "@/lib/compliance/parse/model";
import { propertiesOf, type AnalysedDockerfile } from "@/lib/compliance/dockerfile";
import { listed, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

const SECRET_NAME = /(secret|password|passwd|token|api[_-]?key|private[_-]?key|credential)/i;
const REFERENCE_NAME = /_(FILE|PATH|DIR)$/i;
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/([^\s/:@'"$]+):([^\s/@'"]+)@/i;
const URL_PASSWORD = /(:\/\/[^\s/:@'"$]+:)[^\s/@'"]+@/g;
const MASK = "****";

type Leak = { instruction: Instruction; name: string; kind: "name" | "url"; why: string; line: number };

export const noSecretsInEnv: DockerfileRule = {
  id: "no-secrets-in-env",
  severity: "error",
  summary: "no ENV or ARG hard-codes a secret",
  check: withDockerfile((dockerfile) => {
    const leaks = allEnvAndArgs(dockerfile).flatMap(leaksIn);
    if (leaks.length === 0) return { status: "pass", message: "no ENV or ARG holds a literal secret" };
    return {
      status: "fail",
      line: leaks[0]!.line,
      excerpt: leaks
        .slice(0, 3)
        .map((l) => masked(dockerfile, l))
        .join("\n"),
      message: listed(leaks.map((l) => `${l.instruction.getKeyword()} ${l.name} ${l.why} (line ${l.line})`)),
    };
  }),
};

function allEnvAndArgs(dockerfile: AnalysedDockerfile): Instruction[] {
  return dockerfile.ast.getInstructions().filter((i) => i.getKeyword() === "ENV" || i.getKeyword() === "ARG");
}

function leaksIn(instruction: Instruction): Leak[] {
  const leaks: Leak[] = [];
  for (const { name, value, line } of propertiesOf(instruction)) {
    if (value === null || value === "") continue;
    if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name) && literalPart(value) !== "") {
      leaks.push({ instruction, name, kind: "name", why: "has a literal value", line });
    } else if (hasUrlPassword(value)) {
      leaks.push({ instruction, name, kind: "url", why: "embeds a password in a URL", line });
    }
  }
  return leaks;
}

/** scheme://user:password@ with a literal password (user:${DB_PASSWORD}@ is fine). */
function hasUrlPassword(value: string): boolean {
  const match = URL_CREDENTIALS.exec(value);
  return match !== null && literalPart(match[2]!) !== "";
}

/** What is left of a value once variable references without a literal default are removed. */
export function literalPart(value: string): string {
  let rest = value;
  for (let previous = ""; previous !== rest; ) {
    previous = rest;
    rest = rest
      .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?[-+]([^${}]*)\}/g, "$1")
      .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(:?\?[^${}]*)?\}/g, "")
      .replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, "");
  }
  return rest.replace(/["'\s]/g, "");
}

/** The line that sets the secret, with the secret replaced by ****. */
function masked(dockerfile: AnalysedDockerfile, leak: Leak): string {
  const text = dockerfile.lines[leak.line - 1] ?? "";
  if (leak.kind === "url") return text.replace(URL_PASSWORD, `$1${MASK}@`);
  // Everything after NAME= (or NAME followed by a space, the old ENV form) goes: the value may be quoted or continue on the next line.
  const at = new RegExp(`\\b${leak.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(=|\\s+)`).exec(text);
  if (!at) return `${leak.instruction.getKeyword()} ${leak.name}=${MASK}`;
  const continued = /\\\s*$/.test(text) ? " \\" : "";
  return `${text.slice(0, at.index + at[0].length)}${MASK}${continued}`;
}
