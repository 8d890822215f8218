// distroless-final-stage (error): the final image starts from an allowed base (distroless or
// scratch by default), following stage aliases (FROM builder AS runtime) and ARG values
// (FROM ${BASE}) down to the image that is really pulled.
import type { AnalysedDockerfile } from "@/lib/compliance/dockerfile";
import { finalBase, forwardNote, isAllowedBase } from "@/lib/compliance/facts";
import { excerptOf, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

export const distrolessFinalStage: DockerfileRule = {
  id: "distroless-final-stage",
  severity: "error",
  summary: "the final stage is built on a distroless (or scratch) image",
  check: withDockerfile((dockerfile, { options }) => {
    const base = finalBase(dockerfile);
    const where = { line: base.stage.from.line, excerpt: excerptOf(dockerfile, base.froms) };
    if (base.unresolved.length > 0) {
      return {
        ...where,
        status: "warn",
        message: `the final base ${base.stage.from.written} needs ${base.unresolved.join(", ")}, which has no default value: it cannot be checked here`,
      };
    }
    const runsOn = `the final stage runs on ${base.image}${through(dockerfile)}${forwardNote(base.stage.from)}`;
    if (isAllowedBase(base.image, options.allowedBases)) return { ...where, status: "pass", message: runsOn };
    return { ...where, status: "fail", message: `${runsOn}, which is not distroless (allowed: ${options.allowedBases.join(", ")})` };
  }),
};

/** " (through stages runtime ← base)" when the final stage builds on local stages. */
function through(dockerfile: AnalysedDockerfile): string {
  if (dockerfile.finalChain.length < 2) return "";
  return ` (through stage ${dockerfile.finalChain.map((s) => s.alias ?? `#${s.index + 1}`).join(" ← ")})`;
}
