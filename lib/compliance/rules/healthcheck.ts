// healthcheck (warning): the final image has a HEALTHCHECK that is not NONE, in the final stage or
// inherited from the local stage it builds FROM. One that cannot fail (true, exit 0,
// python -c "import sys; sys.exit(0)") warns: it is there, but it checks nothing. A health check baked into an external base image
// is not visible in the Dockerfile; the pushed image's config (image-healthcheck) shows it.
import { effectiveInstruction } from "@/lib/compliance/dockerfile";
import { alwaysSucceeds, healthcheckCommand } from "@/lib/compliance/healthcheck-command";
import { at, excerptOf, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

export const healthcheck: DockerfileRule = {
  id: "healthcheck",
  severity: "warning",
  summary: "the final image has a HEALTHCHECK",
  check: withDockerfile((dockerfile) => {
    const found = effectiveInstruction(dockerfile, "HEALTHCHECK");
    if (!found) {
      return {
        status: "fail",
        line: dockerfile.final.from.line,
        excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]),
        message: "no HEALTHCHECK in the final stage or the stages it builds on",
      };
    }
    const command = healthcheckCommand(found.instruction);
    if (command.kind === "none") return at(dockerfile, found.instruction, { status: "fail", message: "HEALTHCHECK NONE turns health checks off" });
    if (command.text === "") return at(dockerfile, found.instruction, { status: "fail", message: "HEALTHCHECK CMD has no command" });
    const shown = command.text.length > 120 ? `${command.text.slice(0, 119)}…` : command.text;
    if (alwaysSucceeds(command)) return at(dockerfile, found.instruction, { status: "warn", message: `the health check always succeeds, so it checks nothing: ${shown}` });
    return at(dockerfile, found.instruction, { status: "pass", message: `health check: ${shown}` });
  }),
};
