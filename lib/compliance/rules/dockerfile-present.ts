// dockerfile-present (error): the Dockerfile the plan names exists in the checkout. Without it the
// image cannot be built at all, so every other Dockerfile rule is then n/a.
import type { DockerfileRule } from "@/lib/compliance/rules/rule";

export const dockerfilePresent: DockerfileRule = {
  id: "dockerfile-present",
  severity: "error",
  summary: "the plan's Dockerfile exists in the checkout",
  check: ({ text, file }) => {
    const name = file.path ?? "the Dockerfile";
    if (text !== null) return { status: "pass", message: `${name} exists` };
    return { status: "fail", message: file.problem ?? `${name} does not exist` };
  },
};
