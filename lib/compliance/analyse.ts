// Runs the Dockerfile rules. Never throws: bad input becomes a parse error or findings.
import { parseDockerfile, type AnalysedDockerfile, type Instruction, type Stage } from "@/lib/compliance/dockerfile";
import { DOCKERFILE_RULES } from "@/lib/compliance/rules";
import { exposedInFinalImage } from "@/lib/compliance/rules/port-matches-plan";
import { baseDefaultUser, effectiveUser, finalBase } from "@/lib/compliance/facts";
import type { DockerfileRule, RuleContext, Verdict } from "@/lib/compliance/rules/rule";
import {
  DEFAULT_EXPECTED_USER,
  DEFAULT_OPTIONS,
  type ComplianceOptions,
  type CompliancePlan,
  type DockerfileAnalysis,
  type DockerfileFacts,
  type Finding,
} from "@/lib/compliance/types";

export function planWithDefaults(plan: Partial<CompliancePlan> = {}): CompliancePlan {
  return { port: plan.port ?? null, expectedUser: plan.expectedUser || DEFAULT_EXPECTED_USER, platforms: plan.platforms ?? [] };
}

export function optionsWithDefaults(options: Partial<ComplianceOptions> = {}): ComplianceOptions {
  return { allowedBases: options.allowedBases ?? DEFAULT_OPTIONS.allowedBases };
}

/** Analyses Dockerfile text against the plan's facts. `path` only names the file in messages. */
export function analyseDockerfile(
  text: string,
  plan: Partial<CompliancePlan> = {},
  options: Partial<ComplianceOptions> = {},
  path: string | null = null,
): DockerfileAnalysis {
  const parsed = parseDockerfile(typeof text === "string" ? text : String(text));
  return runRules({
    dockerfile: parsed.dockerfile,
    text,
    parseError: parsed.error,
    file: { path, problem: null },
    plan: planWithDefaults(plan),
    options: optionsWithDefaults(options),
  });
}

/** The findings for a Dockerfile the plan names but that is not there: dockerfile-present fails, the rest is n/a. */
export function analyseMissingDockerfile(path: string, problem: string, plan: Partial<CompliancePlan> = {}, options: Partial<ComplianceOptions> = {}): DockerfileAnalysis {
  return runRules({
    dockerfile: null,
    text: null,
    parseError: null,
    file: { path, problem },
    plan: planWithDefaults(plan),
    options: optionsWithDefaults(options),
  });
}

/** The findings for a Dockerfile that exists but cannot be analysed (too large to read, say): the rules say why. */
export function analyseUnparsable(path: string, parseError: string, plan: Partial<CompliancePlan> = {}, options: Partial<ComplianceOptions> = {}): DockerfileAnalysis {
  return runRules({
    dockerfile: null,
    text: "",
    parseError,
    file: { path, problem: null },
    plan: planWithDefaults(plan),
    options: optionsWithDefaults(options),
  });
}

/** Every Dockerfile rule as n/a with one reason, for when no rule could run (e.g. no checkout configured). */
export function dockerfileRulesNotChecked(reason: string): Finding[] {
  return DOCKERFILE_RULES.map((rule) => toFinding(rule, { status: "n/a", message: reason }));
}

function runRules(context: RuleContext): DockerfileAnalysis {
  const exposed = exposedOf(context);
  return { findings: DOCKERFILE_RULES.map((rule) => toFinding(rule, checkSafely(rule, context))), parseError: context.parseError, exposed, facts: factsOf(context, exposed) };
}

function factsOf(context: RuleContext, exposed: string[] | null): DockerfileFacts | null {
  const dockerfile = context.dockerfile;
  if (!dockerfile) return null;
  try {
    const base = finalBase(dockerfile);
    const user = effectiveUser(dockerfile);
    const baseDefault = baseDefaultUser(base);
    const used = stagesUsed(dockerfile);
    return {
      finalBase: base.image,
      user: user
        ? { value: user.unresolved.length > 0 ? null : user.value, source: "USER", line: user.instruction.getRange().start.line + 1 }
        : baseDefault
          ? { value: baseDefault, source: "base image default", line: null }
          : { value: null, source: "unknown", line: null },
      exposed: exposed ?? [],
      stages: dockerfile.stages.map((s) => ({
        index: s.index,
        alias: s.alias,
        from: s.from.image,
        line: s.from.line,
        image: s.parent === null,
        final: s === dockerfile.root,
        used: used.has(s),
        unresolved: s.from.unresolved,
      })),
    };
  } catch {
    return null;
  }
}

/**
 * The stages BuildKit builds for the final image: its chain, and every stage a used stage copies or mounts from
 * (COPY/ADD --from, RUN --mount=from=), with their chains. A reference with a variable could name any stage: then
 * every stage counts as used.
 */
function stagesUsed(dockerfile: AnalysedDockerfile): Set<Stage> {
  const used = new Set<Stage>();
  const pending: Stage[] = [...dockerfile.finalChain];
  const named = (stage: Stage, name: string): Stage | null => {
    const wanted = name.toLowerCase();
    return dockerfile.stages.find((s) => s.index < stage.index && (String(s.index) === wanted || s.alias?.toLowerCase() === wanted)) ?? null;
  };
  while (pending.length > 0) {
    const stage = pending.pop()!;
    if (used.has(stage)) continue;
    used.add(stage);
    if (stage.parent) pending.push(stage.parent);
    for (const instruction of stage.instructions) {
      for (const from of referencedStages(instruction)) {
        if (from.includes("$")) return new Set(dockerfile.stages);
        const target = named(stage, from);
        if (target) pending.push(target);
      }
    }
  }
  return used;
}

function referencedStages(instruction: Instruction): string[] {
  const keyword = instruction.getKeyword();
  if (keyword === "COPY" || keyword === "ADD") {
    const from = instruction.flag("from");
    return from ? [from] : [];
  }
  if (keyword !== "RUN") return [];
  return instruction.flags.filter((f) => f.name === "mount" && f.value).flatMap((f) => [...f.value!.matchAll(/(?:^|,)from=([^,]+)/g)].map((m) => m[1]!));
}

/** What the final image EXPOSEs as written ("8113", "8000-8010/udp"); null when the Dockerfile could not be read. */
function exposedOf(context: RuleContext): string[] | null {
  if (!context.dockerfile) return null;
  try {
    return exposedInFinalImage(context.dockerfile).map((r) => r.written);
  } catch {
    return null;
  }
}

/** A rule that throws on some input is a bug in the rule; the analysis still completes and says so. */
function checkSafely(rule: DockerfileRule, context: RuleContext): Verdict {
  try {
    return rule.check(context);
  } catch (error) {
    return { status: "warn", message: `internal error in the ${rule.id} rule: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function toFinding(rule: DockerfileRule, verdict: Verdict): Finding {
  return {
    rule: rule.id,
    status: verdict.status,
    severity: rule.severity,
    line: verdict.line ?? null,
    message: verdict.message,
    excerpt: verdict.excerpt ?? null,
    source: "dockerfile",
  };
}
