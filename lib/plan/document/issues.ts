// Problems found in a build-commands document: errors refuse the whole document, warnings are shown.
import type { PlanIssue } from "@/lib/plan/document/types";

export class IssueLog {
  readonly errors: PlanIssue[] = [];
  readonly warnings: PlanIssue[] = [];

  error(line: number, message: string): void {
    this.errors.push({ line, message });
  }

  warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }
}

export function describeIssues(issues: PlanIssue[]): string {
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return [`Invalid build plan (${count}):`, ...issues.map((i) => `line ${i.line}: ${i.message}`)].join("\n");
}

export function sortByLine(issues: PlanIssue[]): PlanIssue[] {
  return [...issues].sort((a, b) => a.line - b.line);
}
