// Writes a parsed plan back out as a build-commands document that parses to the same plan, line numbers included:
// each phase heading and build command lands on the line the plan records. Test support: where the real document is
// not present, the tests import this one instead.
import type { ParsedPlan } from "@/lib/plan/parse";

export function renderPlanDocument(plan: ParsedPlan): string {
  const lines: string[] = [];
  const padTo = (line: number, what: string) => {
    if (lines.length >= line) throw new Error(`cannot place ${what} on line ${line}: line ${lines.length} is already written`);
    while (lines.length < line - 1) lines.push("");
  };
  lines.push(`# ${plan.title ?? "Build plan"}`);
  for (const phase of plan.phases) {
    padTo(phase.line, `phase ${phase.number}`);
    lines.push(`## PHASE ${phase.number}: ${phase.category.toUpperCase()} (${phase.required} images)`);
    for (const image of phase.images) {
      // The step heading and the fence come just before the command's own line.
      padTo(image.line - 2, `step ${image.step}`);
      lines.push(`### **${image.step}. ${image.title}**`, "```bash");
      const args = [...image.tags.map((t) => `-t ${t}`), `-f ${image.dockerfile}`, ...(image.push ? ["--push"] : []), image.context];
      lines.push(`docker buildx build --platform ${image.platforms.join(",")} \\`, ...args.map((a, i) => `  ${a}${i < args.length - 1 ? " \\" : ""}`), "```");
    }
  }
  return `${lines.join("\n")}\n`;
}
