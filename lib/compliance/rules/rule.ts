// What a Dockerfile rule is: an id, a severity and a pure function from the context to a verdict.
import type { Instruction } from "@/lib/compliance/parse/model";
import type { AnalysedDockerfile } from "@/lib/compliance/dockerfile";
import { instructionText, lineOf } from "@/lib/compliance/dockerfile";
import type { ComplianceOptions, CompliancePlan, FindingStatus, Severity } from "@/lib/compliance/types";

export type RuleContext = {
  /** Null when there is no Dockerfile or it could not be parsed. */
  dockerfile: AnalysedDockerfile | null;
  /** Null when the Dockerfile does not exist (or could not be read). */
  text: string | null;
  /** Why `text` could not be parsed, when it could not. */
  parseError: string | null;
  /** Where the Dockerfile was looked for, and why it was not found. */
  file: { path: string | null; problem: string | null };
  plan: CompliancePlan;
  options: ComplianceOptions;
};

export type Verdict = {
  status: FindingStatus;
  message: string;
  /** 1-based; defaults to null. */
  line?: number | null;
  excerpt?: string | null;
};

export type DockerfileRule = {
  id: string;
  severity: Severity;
  /** One line: what passing means. */
  summary: string;
  check(context: RuleContext): Verdict;
};

/** Wraps a check that needs the parsed Dockerfile: without one the rule is n/a, saying why. */
export function withDockerfile(check: (dockerfile: AnalysedDockerfile, context: RuleContext) => Verdict): (context: RuleContext) => Verdict {
  return (context) => {
    if (context.dockerfile) return check(context.dockerfile, context);
    if (context.parseError) return { status: "n/a", message: `not checked: ${context.parseError}` };
    return { status: "n/a", message: "not checked: there is no Dockerfile to analyse" };
  };
}

const MAX_EXCERPT_LINES = 8;
const MAX_EXCERPT_LINE_LENGTH = 240;

/** The instructions as written, for a finding's excerpt: at most a few lines each, long lines cut. */
export function excerptOf(dockerfile: AnalysedDockerfile, instructions: Instruction[]): string | null {
  if (instructions.length === 0) return null;
  return instructions.map((i) => shorten(instructionText(dockerfile, i))).join("\n");
}

function shorten(text: string): string {
  const lines = text.split("\n").map((l) => (l.length > MAX_EXCERPT_LINE_LENGTH ? `${l.slice(0, MAX_EXCERPT_LINE_LENGTH - 1)}…` : l));
  return lines.length > MAX_EXCERPT_LINES ? [...lines.slice(0, MAX_EXCERPT_LINES - 1), `… (${lines.length - MAX_EXCERPT_LINES + 1} more lines)`].join("\n") : lines.join("\n");
}

/** How many items a message names before "and N more": a finding stays readable, and a huge file stays linear. */
export const MAX_LISTED = 20;

/** "a; b; c" for at most MAX_LISTED items, then "; and 31,990 more". */
export function listed(items: readonly string[], separator = "; "): string {
  const shown = items.slice(0, MAX_LISTED).join(separator);
  return items.length > MAX_LISTED ? `${shown}${separator}and ${(items.length - MAX_LISTED).toLocaleString("en-US")} more` : shown;
}

/** "line 12" or "lines 12, 15, 20" (at most MAX_LISTED numbers, then how many more). */
export function linesOf(instructions: readonly Instruction[]): string {
  return `line${instructions.length > 1 ? "s" : ""} ${listed(instructions.map((i) => String(lineOf(i))), ", ")}`;
}

/** A verdict pointing at one instruction. */
export function at(dockerfile: AnalysedDockerfile, instruction: Instruction, verdict: Omit<Verdict, "line" | "excerpt">, more: Instruction[] = []): Verdict {
  return { ...verdict, line: lineOf(instruction), excerpt: excerptOf(dockerfile, [instruction, ...more]) };
}

/** Instructions in file order without duplicates, for excerpts that quote several. */
export function inFileOrder(instructions: Instruction[]): Instruction[] {
  return [...new Set(instructions)].sort((a, b) => a.getRange().start.line - b.getRange().start.line);
}
