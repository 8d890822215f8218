/**
 * Parser for a "build-commands document": a Markdown file that lists the images of a
 * build plan as `docker buildx build` commands in fenced shell blocks, grouped into
 * phases (`## PHASE 4: APPLICATION SERVICES (10 images)`) and numbered steps
 * (`### **18. Session API**`).
 *
 * Nothing here ever runs a shell: the commands are read with the one shell reader (lib/shell). The steps, one
 * file each under lib/plan/document/: markdown (headings, fenced blocks), outline (phases, steps), buildx-command
 * (flags), image (Dockerfile, context, tags, platforms), names (each image's URL-safe name), issues.
 */
import { IssueLog, describeIssues, sortByLine } from "@/lib/plan/document/issues";
import type { ParsedPlan, PlanIssue } from "@/lib/plan/document/types";
import { scanMarkdown, splitLines } from "@/lib/plan/document/markdown";
import { assignImageNames } from "@/lib/plan/document/names";
import { OutlineBuilder, toParsedPhase } from "@/lib/plan/document/outline";

export type { ParsedImage, ParsedPhase, ParsedPlan, PlanIssue } from "@/lib/plan/document/types";

export class PlanParseError extends Error {
  readonly issues: PlanIssue[];

  constructor(issues: PlanIssue[]) {
    super(describeIssues(issues));
    this.name = "PlanParseError";
    this.issues = issues;
  }
}

export function parsePlan(markdown: string): ParsedPlan {
  const log = new IssueLog();
  const outline = new OutlineBuilder(log);
  scanMarkdown(splitLines(markdown), outline, log);
  const phases = outline.finish();
  const names = assignImageNames(phases, log);
  if (log.errors.length > 0) throw new PlanParseError(sortByLine(log.errors));
  return {
    title: outline.title,
    phases: phases.map((phase) => toParsedPhase(phase, names)),
    warnings: sortByLine(log.warnings),
  };
}
