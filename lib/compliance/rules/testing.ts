// Test helpers: run one rule on a few lines of Dockerfile.
import { optionsWithDefaults, planWithDefaults } from "@/lib/compliance/analyse";
import { parseDockerfile } from "@/lib/compliance/dockerfile";
import type { DockerfileRule, Verdict } from "@/lib/compliance/rules/rule";
import type { ComplianceOptions, CompliancePlan } from "@/lib/compliance/types";

/** Joins lines into a Dockerfile (so tests read like one) and runs the rule on it. */
export function check(rule: DockerfileRule, lines: string[] | string, plan: Partial<CompliancePlan> = {}, options: Partial<ComplianceOptions> = {}): Verdict {
  const text = Array.isArray(lines) ? `${lines.join("\n")}\n` : lines;
  const parsed = parseDockerfile(text);
  return rule.check({
    dockerfile: parsed.dockerfile,
    text,
    parseError: parsed.error,
    file: { path: "Dockerfile", problem: null },
    plan: planWithDefaults(plan),
    options: optionsWithDefaults(options),
  });
}

export function statusOf(rule: DockerfileRule, lines: string[] | string, plan: Partial<CompliancePlan> = {}, options: Partial<ComplianceOptions> = {}): Verdict["status"] {
  return check(rule, lines, plan, options).status;
}
