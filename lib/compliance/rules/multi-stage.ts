// multi-stage (warning): build tooling stays out of the final image. A multi-stage build is one whose final image
// copies what an earlier stage built (COPY --from=<stage>); a single stage, or stages the final image takes
// nothing from, fails. A final stage (or a local stage it builds on) that still installs or runs build tools
// (compilers, make, -dev packages, pip/npm install) warns; installing runtime OS packages is not build tooling.
import type { Instruction } from "@/lib/compliance/parse/model";
import { instructionsInChain, lineOf, type AnalysedDockerfile } from "@/lib/compliance/dockerfile";
import { buildTooling, runCommands } from "@/lib/compliance/shell";
import { excerptOf, listed, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

const MAX_QUOTED = 3;

export const multiStage: DockerfileRule = {
  id: "multi-stage",
  severity: "warning",
  summary: "a multi-stage build whose final stage installs no build tools",
  check: withDockerfile((dockerfile) => {
    if (dockerfile.stages.length === 1) {
      return {
        status: "fail",
        line: dockerfile.final.from.line,
        excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]),
        message: "a single stage: whatever is installed to build the service ships in the image",
      };
    }
    const copied = copiesFromStages(dockerfile);
    if (copied.length === 0) {
      return {
        status: "fail",
        line: dockerfile.final.from.line,
        excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]),
        message: `${dockerfile.stages.length} stages, but the final image copies nothing from an earlier one (no COPY --from=<stage>): what it needs is built in the image itself`,
      };
    }
    const offenders = instructionsInChain(dockerfile, "RUN")
      .map((run) => ({ run, tools: toolsIn(run) }))
      .filter((o) => o.tools.length > 0);
    if (offenders.length === 0) {
      return { status: "pass", line: lineOf(copied[0]!), message: `${dockerfile.stages.length} stages; the final image copies from an earlier stage (line ${lineOf(copied[0]!)}) and installs no build tools` };
    }
    const named = listed(offenders.map((o) => `${o.tools.join(", ")} (line ${lineOf(o.run)})`));
    return {
      status: "warn",
      line: lineOf(offenders[0]!.run),
      excerpt: excerptOf(dockerfile, offenders.slice(0, MAX_QUOTED).map((o) => o.run)),
      message: `the final stage still installs or runs build tools: ${named}`,
    };
  }),
};

function toolsIn(run: Instruction): string[] {
  return [...new Set(runCommands(run).map(buildTooling).filter((t): t is string => t !== null))];
}

/** The COPY --from instructions of the final image that name an earlier stage (by name or index), not an image. */
function copiesFromStages(dockerfile: AnalysedDockerfile): Instruction[] {
  const finalIndex = dockerfile.final.index;
  const earlier = dockerfile.stages.filter((s) => s.index < finalIndex);
  return instructionsInChain(dockerfile, "COPY").filter((copy) => {
    const from = copy.flag("from");
    if (!from) return false;
    const wanted = from.toLowerCase();
    return earlier.some((s) => String(s.index) === wanted || s.alias?.toLowerCase() === wanted);
  });
}
