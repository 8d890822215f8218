// multi-stage (warning): build tooling stays out of the final image. A single-stage Dockerfile
// fails; a multi-stage one whose final stage (or a local stage it builds on) still installs or runs
// build tools (apt-get/apk/pip/npm install, gcc, make...) warns.
import type { Instruction } from "@/lib/compliance/parse/model";
import { instructionsInChain, lineOf } from "@/lib/compliance/dockerfile";
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
    const offenders = instructionsInChain(dockerfile, "RUN")
      .map((run) => ({ run, tools: toolsIn(run) }))
      .filter((o) => o.tools.length > 0);
    if (offenders.length === 0) {
      return { status: "pass", line: dockerfile.final.from.line, message: `${dockerfile.stages.length} stages; the final stage installs no build tools` };
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
