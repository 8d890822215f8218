// Image evidence: what the registry said about the latest pushed build, per platform, checked
// against the plan. Three rules, each a pure function of the evidence and the plan.
import type { PushedConfig } from "@/lib/registry/config";
import { isRootUser, parseUser } from "@/lib/compliance/facts";
import type { Verdict } from "@/lib/compliance/rules/rule";
import type { CompliancePlan, Finding, Severity } from "@/lib/compliance/types";
import { missingPlatforms } from "@/lib/registry/client";

export type PlatformEvidence = { platform: string; config: PushedConfig | null };

/** The latest build that pushed the image (whatever its status: a push missing a platform is marked failed, yet it is what the registry holds). */
export type PushedEvidence = { buildId: number; platforms: PlatformEvidence[] };

export type ImageRuleContext = { evidence: PushedEvidence | null; plan: CompliancePlan };

export type ImageRule = {
  id: string;
  severity: Severity;
  summary: string;
  check(context: ImageRuleContext): Verdict;
};

type ConfiguredPlatform = { platform: string; config: PushedConfig };

/** Wraps a check that needs per-platform configs read from the registry; without them the rule is n/a. */
function withConfigs(check: (platforms: ConfiguredPlatform[], context: ImageRuleContext) => Verdict): (context: ImageRuleContext) => Verdict {
  return (context) => {
    const { evidence } = context;
    if (!evidence) return { status: "n/a", message: "no pushed build yet: nothing to read from the registry" };
    const configured = evidence.platforms.filter((p): p is ConfiguredPlatform => p.config !== null);
    if (configured.length === 0) {
      return { status: "n/a", message: `the latest pushed build (#${evidence.buildId}) has no image config recorded (imported or reported, not read back from the registry)` };
    }
    return check(configured, context);
  };
}

// image-non-root-user (error): every pushed platform's config runs as a non-root user, as the
// Dockerfile's non-root-user rule requires of the source.
const imageNonRootUser: ImageRule = {
  id: "image-non-root-user",
  severity: "error",
  summary: "the pushed image runs as a non-root user on every platform",
  check: withConfigs((platforms, { plan }) => {
    const root = platforms.filter((p) => !p.config.user || isRootUser(parseUser(p.config.user).user));
    if (root.length > 0) {
      return { status: "fail", message: `runs as root on ${root.map((p) => `${p.platform} (User ${p.config.user ? JSON.stringify(p.config.user) : "unset"})`).join(", ")}` };
    }
    const users = [...new Set(platforms.map((p) => p.config.user!))];
    const expected = users.every((u) => u === plan.expectedUser) ? ", as the plan expects" : `; the plan expects ${plan.expectedUser}`;
    return { status: "pass", message: `runs as ${users.join(", ")} on ${names(platforms)}${expected}` };
  }),
};

// image-healthcheck (warning): every pushed platform's config has a health check that is not NONE.
const imageHealthcheck: ImageRule = {
  id: "image-healthcheck",
  severity: "warning",
  summary: "the pushed image has a health check on every platform",
  check: withConfigs((platforms) => {
    const without = platforms.filter((p) => !hasHealthcheck(p.config.healthcheck));
    if (without.length > 0) return { status: "fail", message: `no health check in the pushed config for ${names(without)}` };
    const test = platforms[0]!.config.healthcheck!;
    return { status: "pass", message: `health check on ${names(platforms)}: ${test.join(" ").slice(0, 120)}` };
  }),
};

// image-platforms (warning): every planned platform was pushed (linux/arm64 and linux/arm64/v8 are
// the same platform, as lib/registry/client.ts missingPlatforms has it).
const imagePlatforms: ImageRule = {
  id: "image-platforms",
  severity: "warning",
  summary: "every planned platform was pushed",
  check: withConfigs((platforms, { plan }) => {
    if (plan.platforms.length === 0) return { status: "n/a", message: "the plan names no platforms for this image" };
    const missing = missingPlatforms(plan.platforms, platforms);
    if (missing.length > 0) return { status: "fail", message: `the pushed image lacks ${missing.join(" and ")} (it has ${names(platforms)})` };
    return { status: "pass", message: `pushed for ${names(platforms)}; the plan asks for ${plan.platforms.join(", ")}` };
  }),
};

const IMAGE_RULES: readonly ImageRule[] = [imageNonRootUser, imageHealthcheck, imagePlatforms];

export function analyseImageEvidence(evidence: PushedEvidence | null, plan: CompliancePlan): Finding[] {
  return IMAGE_RULES.map((rule) => {
    const verdict = rule.check({ evidence, plan });
    return { rule: rule.id, status: verdict.status, severity: rule.severity, line: null, message: verdict.message, excerpt: null, source: "image" };
  });
}

/** A health check's Test as the registry returns it: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]. */
function hasHealthcheck(test: string[] | null): boolean {
  return test !== null && test.length > 0 && test[0]!.toUpperCase() !== "NONE";
}

function names(platforms: { platform: string }[]): string {
  return platforms.map((p) => p.platform).join(", ");
}
