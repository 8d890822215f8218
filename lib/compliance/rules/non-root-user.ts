// non-root-user (error): the final image's effective USER is set and is not root. The effective
// USER is the last one in the final stage, else the one inherited from the local stage it builds
// FROM. Unset means the base image's default, which is root for most images (and for distroless
// tags other than :nonroot, whose default is 65532); otherwise the Dockerfile must say who runs the service.
import { baseDefaultUser, effectiveUser, finalBase, isRootUser, resolveAccount } from "@/lib/compliance/facts";
import { at, excerptOf, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

export const nonRootUser: DockerfileRule = {
  id: "non-root-user",
  severity: "error",
  summary: "the final image runs as a non-root USER",
  check: withDockerfile((dockerfile) => {
    const user = effectiveUser(dockerfile);
    const base = finalBase(dockerfile);
    const baseDefault = baseDefaultUser(base);
    if (!user && baseDefault === "65532:65532") {
      return { status: "pass", line: dockerfile.final.from.line, excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]), message: `no USER, and ${base.image} runs as nonroot (65532:65532) by default` };
    }
    if (!user && baseDefault === "0:0") {
      return {
        status: "fail",
        line: dockerfile.final.from.line,
        excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]),
        message: `no USER, and ${base.image} runs as root by default (only the distroless nonroot and debug-nonroot tags run as 65532)`,
      };
    }
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
    const account = resolveAccount(user.value, base.image);
    if (isRootUser(account.user)) return at(dockerfile, user.instruction, { status: "fail", message: `the final image runs as root (USER ${user.value})` });
    const ids = account.mapped ? ` (${account.user}${account.group ? `:${account.group}` : ""} in ${base.image})` : "";
    return at(dockerfile, user.instruction, { status: "pass", message: `the final image runs as ${user.value}${ids}` });
  }),
};
