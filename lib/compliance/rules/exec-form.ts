// exec-form (error): a distroless or scratch final image has no shell, so everything that would
// need /bin/sh fails there: CMD, ENTRYPOINT and HEALTHCHECK CMD must be JSON exec form, and RUN in
// shell form (or with a heredoc) cannot run.
//
// A RUN in exec form (RUN ["/usr/bin/python3", "-c", "..."]) does work on distroless when the
// program exists, so it is a warn rather than a fail: it still adds a layer to an image meant to hold
// only the service. Only applies when the final base is an allowed (distroless/scratch) base.
import type { Instruction } from "@/lib/compliance/parse/model";
import { argumentsOf, effectiveInstruction, instructionsInChain, lineOf, type AnalysedDockerfile } from "@/lib/compliance/dockerfile";
import { finalBase, isAllowedBase } from "@/lib/compliance/facts";
import { healthcheckCommand } from "@/lib/compliance/healthcheck-command";
import { execFormArgs } from "@/lib/compliance/parse/model";
import { needsShell } from "@/lib/compliance/shell";
import { excerptOf, linesOf, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

type Problem = { instruction: Instruction; what: string };

export const execForm: DockerfileRule = {
  id: "exec-form",
  severity: "error",
  summary: "a shell-less final image: no shell-form RUN, and CMD/ENTRYPOINT/HEALTHCHECK in exec form",
  check: withDockerfile((dockerfile, { options }) => {
    const base = finalBase(dockerfile);
    if (base.unresolved.length > 0) return { status: "n/a", message: `the final base ${base.stage.from.written} cannot be resolved here (${base.unresolved.join(", ")} has no value)` };
    if (!isAllowedBase(base.image, options.allowedBases)) return { status: "n/a", message: `the final base ${base.image} is not distroless or scratch, so a shell may exist` };
    const runs = instructionsInChain(dockerfile, "RUN");
    const shellRuns = runs.filter(needsShell);
    const problems: Problem[] = [
      ...shellRuns.map((run) => ({ instruction: run, what: "RUN in shell form" })),
      ...shellFormEntrypoints(dockerfile),
    ].sort((a, b) => lineOf(a.instruction) - lineOf(b.instruction));
    if (problems.length > 0) {
      return {
        status: "fail",
        line: lineOf(problems[0]!.instruction),
        excerpt: excerptOf(dockerfile, problems.slice(0, 3).map((p) => p.instruction)),
        message: `${base.image} has no /bin/sh, but the final image needs one: ${describe(problems)}`,
      };
    }
    if (runs.length > 0) {
      return {
        status: "warn",
        line: lineOf(runs[0]!),
        excerpt: excerptOf(dockerfile, runs.slice(0, 2)),
        message: `${runs.length} RUN in exec form in the final stage (${linesOf(runs)}): it works without a shell, but adds layers to a distroless image`,
      };
    }
    return { status: "pass", message: "no RUN in the final stage; CMD, ENTRYPOINT and HEALTHCHECK are in exec form (or absent)" };
  }),
};

function shellFormEntrypoints(dockerfile: AnalysedDockerfile): Problem[] {
  const problems: Problem[] = [];
  for (const keyword of ["CMD", "ENTRYPOINT"]) {
    const found = effectiveInstruction(dockerfile, keyword);
    if (found && execFormArgs(argumentsOf(found.instruction)) === null) problems.push({ instruction: found.instruction, what: `${keyword} in shell form` });
  }
  const health = effectiveInstruction(dockerfile, "HEALTHCHECK");
  if (health) {
    const command = healthcheckCommand(health.instruction);
    if (command.kind === "cmd" && !command.exec && command.text !== "") problems.push({ instruction: health.instruction, what: "HEALTHCHECK CMD in shell form" });
  }
  return problems;
}

/** "RUN in shell form (lines 35, 39); CMD in shell form (line 80)". */
function describe(problems: Problem[]): string {
  const byWhat = new Map<string, Instruction[]>();
  for (const p of problems) {
    const list = byWhat.get(p.what);
    if (list) list.push(p.instruction);
    else byWhat.set(p.what, [p.instruction]);
  }
  return [...byWhat].map(([what, instructions]) => `${what} (${linesOf(instructions)})`).join("; ");
}
