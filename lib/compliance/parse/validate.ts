// What BuildKit's Dockerfile frontend refuses before building (moby/buildkit frontend/dockerfile/instructions/
// parse.go and parser/line_parsers.go): an unknown instruction, a wrong number of arguments, an ENV or LABEL pair
// without "=", a FROM whose second word is not AS. The first problem is the file's parse error, with its line.
// Flags are not checked: BuildKit adds them often, and refusing one it accepts would be a false alarm. Where
// BuildKit reads the rest of the line as one argument (USER, WORKDIR, STOPSIGNAL, MAINTAINER) any text is one.
import { HEREDOC_INSTRUCTIONS } from "@/lib/compliance/parse/lines";
import { execFormArgs, type Instruction } from "@/lib/compliance/parse/model";

const KNOWN = new Set(["ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"]);
const AT_LEAST_ONE = new Set(["USER", "WORKDIR", "STOPSIGNAL", "EXPOSE", "VOLUME", "MAINTAINER", "ONBUILD", "ENV", "LABEL", "ARG", "SHELL", "HEALTHCHECK"]);
const STAGE_NAME = /^[a-z][a-z0-9-_.]*$/i;


/** Why BuildKit would refuse this instruction, or null. */
export function instructionProblem(instruction: Instruction): string | null {
  const keyword = instruction.getKeyword();
  const words = instruction.words;
  if (!KNOWN.has(keyword)) return `unknown instruction: ${instruction.raw.keyword}`;
  if (AT_LEAST_ONE.has(keyword) && words.length === 0) return `${keyword} requires at least one argument`;
  switch (keyword) {
    case "FROM":
      if (words.length !== 1 && words.length !== 3) return "FROM requires either one or three arguments";
      if (words.length === 3 && words[1]!.text.toLowerCase() !== "as") return `when FROM has three arguments the second must be AS, not ${JSON.stringify(words[1]!.text)}`;
      if (words.length === 3 && !STAGE_NAME.test(words[2]!.text)) return `invalid stage name ${JSON.stringify(words[2]!.text)}: it must start with a letter and hold only letters, digits, -, _ and .`;
      return null;
    case "COPY":
    case "ADD": {
      const count = execFormArgs(instruction.getArgumentsContent() ?? "")?.length ?? words.length;
      if (count < 2) return `${keyword} requires at least two arguments, but only one was provided. Destination could not be determined`;
      return null;
    }
    case "ENV":
    case "LABEL":
      return nameValueProblem(instruction, keyword);
    case "ARG":
      for (const w of words) if (w.text.startsWith("=")) return `ARG names can not be blank (${JSON.stringify(w.text)})`;
      return null;
    case "SHELL":
      // BuildKit's JSON decoder reads the first value and ignores what follows it (a comment, say).
      return (instruction.getArgumentsContent() ?? "").trimStart().startsWith("[") ? null : "SHELL requires the arguments to be in JSON form";
    case "HEALTHCHECK": {
      const type = words[0]!.text.toUpperCase();
      if (type === "NONE") return words.length > 1 ? "HEALTHCHECK NONE takes no arguments" : null;
      if (type !== "CMD") return `unknown type ${JSON.stringify(words[0]!.text)} in HEALTHCHECK (try CMD)`;
      return words.length < 2 ? "missing command after HEALTHCHECK CMD" : null;
    }
    case "ONBUILD": {
      // Only these are refused here; an unknown trigger waits for the image that builds FROM this one.
      const trigger = words[0]!.text.toUpperCase();
      if (trigger === "ONBUILD") return "chaining ONBUILD via ONBUILD ONBUILD isn't allowed";
      if (trigger === "FROM" || trigger === "MAINTAINER") return `${trigger} isn't allowed as an ONBUILD trigger`;
      return null;
    }
    default:
      return null;
  }
}

/** ENV and LABEL: the old `NAME value` form, or name=value pairs every one of which has "=" and a name. */
function nameValueProblem(instruction: Instruction, keyword: string): string | null {
  const words = instruction.words;
  if (!words[0]!.text.includes("=")) {
    return words.length < 2 ? `${keyword} must have two arguments (NAME value), or be written NAME=value` : null;
  }
  for (const w of words) {
    if (!w.text.includes("=")) return `syntax error: can't find = in ${JSON.stringify(w.text)}; ${keyword} must be of the form name=value (did a trailing \\ join the next line to it?)`;
    if (w.text.startsWith("=")) return `${keyword} names can not be blank (${JSON.stringify(w.text)})`;
  }
  return null;
}

/**
 * `<< EOF` with a space: BuildKit takes a heredoc only from a word that starts with << and holds the delimiter
 * (`<<EOF`, `<<'EOF'`), so the lines meant as the body are read as instructions. Not refused in itself (`$((1 << 4))`
 * is fine); when a later line is refused, this says why it was read as an instruction at all.
 */
export function spacedHeredocHint(instruction: Instruction): string | null {
  if (instruction.heredocs.length > 0 || !HEREDOC_INSTRUCTIONS.has(instruction.getKeyword())) return null;
  const words = instruction.words;
  for (let k = 0; k + 1 < words.length; k++) {
    if (/^\d*<<-?$/.test(words[k]!.text) && /^(['"]?)[A-Za-z_][A-Za-z0-9_]*\1$/.test(words[k + 1]!.text)) {
      return `line ${instruction.raw.startLine + 1}'s ${words[k]!.text} ${words[k + 1]!.text} is not a heredoc for BuildKit: the delimiter must follow << directly (${words[k]!.text}${words[k + 1]!.text}), so the lines after it are read as instructions`;
    }
  }
  return null;
}
