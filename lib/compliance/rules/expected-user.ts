// expected-user (warning): the effective USER is the plan's expected user (65532:65532 unless the
// plan says otherwise).
//
// `USER 65532` against an expected 65532:65532 is a warn, not a pass: without a group Docker takes
// the uid's primary group from the image's /etc/passwd, which is 65532 in distroless but root (0)
// when the uid has no entry there. Writing the group makes the runtime identity independent of the
// image. When the plan expects a bare uid, any group passes. Names are mapped to ids only where the base image's
// accounts are known (distroless: nonroot is 65532:65532); elsewhere a name fails against a number.
import { baseDefaultUser, effectiveUser, finalBase, parseUser, resolveAccount } from "@/lib/compliance/facts";
import { at, excerptOf, withDockerfile, type DockerfileRule } from "@/lib/compliance/rules/rule";

export const expectedUser: DockerfileRule = {
  id: "expected-user",
  severity: "warning",
  summary: "the final image runs as the plan's expected user",
  check: withDockerfile((dockerfile, { plan }) => {
    const expected = parseUser(plan.expectedUser);
    const user = effectiveUser(dockerfile);
    const base = finalBase(dockerfile);
    const baseDefault = user ? null : baseDefaultUser(base);
    if (baseDefault !== null) {
      const runs = parseUser(baseDefault);
      const matches = runs.user === expected.user && (expected.group === null || runs.group === expected.group);
      return {
        status: matches ? "pass" : "fail",
        line: dockerfile.final.from.line,
        excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]),
        message: `no USER: ${base.image} runs as ${baseDefault} by default${matches ? ", as the plan expects" : `; the plan expects ${plan.expectedUser}`}`,
      };
    }
    if (!user) {
      return {
        status: "fail",
        line: dockerfile.final.from.line,
        excerpt: excerptOf(dockerfile, [dockerfile.final.from.instruction]),
        message: `no USER: expected ${plan.expectedUser}`,
      };
    }
    if (user.unresolved.length > 0) {
      return at(dockerfile, user.instruction, { status: "warn", message: `USER ${user.written} needs ${user.unresolved.join(", ")}: cannot compare with ${plan.expectedUser}` });
    }
    const actual = resolveAccount(user.value, base.image);
    if (actual.user !== expected.user || (expected.group !== null && actual.group !== null && actual.group !== expected.group)) {
      return at(dockerfile, user.instruction, { status: "fail", message: `runs as ${user.value}; the plan expects ${plan.expectedUser}` });
    }
    if (expected.group !== null && actual.group === null) {
      return at(dockerfile, user.instruction, {
        status: "warn",
        message: `USER ${user.value} names no group: the plan expects ${plan.expectedUser}, and without a group the image's /etc/passwd decides (root when the uid has no entry); write USER ${plan.expectedUser}`,
      });
    }
    const ids = actual.mapped ? ` (${actual.user}:${actual.group} in ${base.image})` : "";
    return at(dockerfile, user.instruction, { status: "pass", message: `runs as ${user.value}${ids}, as the plan expects` });
  }),
};
