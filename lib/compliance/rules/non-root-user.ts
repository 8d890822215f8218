// non-root-user (error): the final image's effective USER is set and is not root. The effective
// USER is the last one in the final stage, else the one inherited from the local stage it builds
// FROM. Unset means the base image's default, which is root for most images (and for distroless
// tags other than :nonroot); the Dockerfile must say who runs the service.
import { effectiveUser, isRootUser, parseUser } from "@/lib/compliance/facts";
import { at, excerptOf, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

export const nonRootUser: DockerfileRule = {
  id: "non-root-user",
  severity: "error",
  summary: "the final image runs as a non-root USER",
  check: withDockerfile((dockerfile) => {
    const user = effectiveUser(dockerfile);
    if (!user) {
      return {
        status: "fail",
        line: dockerfile.final.from.line,
        excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]),
        message: "no USER in the final stage (or the stages it builds on): the container runs as the base image's default user, usually root",
      };
    }
    if (user.unresolved.length > 0) {
      return at(dockerfile, user.instruction, { status: "warn", message: `USER ${user.written} needs ${user.unresolved.join(", ")}, which has no value here` });
    }
    if (user.value === "") return at(dockerfile, user.instruction, { status: "fail", message: `USER ${user.written} is empty` });
    const { user: name } = parseUser(user.value);
    if (isRootUser(name)) return at(dockerfile, user.instruction, { status: "fail", message: `the final image runs as root (USER ${user.value})` });
    return at(dockerfile, user.instruction, { status: "pass", message: `the final image runs as ${user.value}` });
  }),
};
