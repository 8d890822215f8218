// Reading a HEALTHCHECK instruction: NONE, or CMD with a command in exec or shell form.
import type { Instruction } from "@/lib/compliance/parse/model";
import { execFormArgs } from "@/lib/compliance/parse/model";
import { basename } from "@/lib/shell/commands";

export type HealthcheckCommand =
  | { kind: "none" }
  /** `text` is the command as one line: the argv joined by spaces in exec form, as written in shell form. */
  | { kind: "cmd"; exec: boolean; argv: string[] | null; text: string };

/** getArgumentsContent() leaves the --interval/--timeout flags out: what remains is NONE or CMD .... */
export function healthcheckCommand(instruction: Instruction): HealthcheckCommand {
  const content = (instruction.getArgumentsContent() ?? "").trim();
  if (/^none$/i.test(content)) return { kind: "none" };
  const command = content.replace(/^cmd(?=\s|\[|$)/i, "").trim();
  const argv = execFormArgs(command);
  return { kind: "cmd", exec: argv !== null, argv, text: argv === null ? command : argv.join(" ") };
}

const TRIVIAL_SHELL = /^\s*(true|\/bin\/true|\/usr\/bin\/true|exit\s+0|:)\s*;?\s*$/;
const TRIVIAL_PYTHON = /^\s*(import\s+sys\s*;?\s*)?((sys\.)?exit\(\s*0?\s*\)|pass)\s*;?\s*$/;

/** A health check that cannot fail (true, exit 0, python -c "import sys; sys.exit(0)") checks nothing. */
export function alwaysSucceeds(command: HealthcheckCommand): boolean {
  if (command.kind === "none") return false;
  if (!command.exec) return TRIVIAL_SHELL.test(command.text);
  const [program = "", flag, code = ""] = command.argv!;
  const name = basename(program);
  if (["true"].includes(name)) return true;
  if (["sh", "bash", "ash", "dash"].includes(name) && flag === "-c") return TRIVIAL_SHELL.test(code);
  return /^python[0-9.]*$/.test(name) && flag === "-c" && TRIVIAL_PYTHON.test(code);
}
