// Compliance results as SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards) read: one run, the
// rules with their default level, one result per fail or warning with the file and line. Hand-written: the shape
// needed is small and fixed, and the SARIF npm packages are type definitions or converters from other tools.
import { DOCKERFILE_RULES } from "@/lib/compliance/rules";
import { findingResult } from "@/lib/compliance/status";
import type { Finding, Severity } from "@/lib/compliance/types";

export const PARSE_RULE = "dockerfile-parse";

type Level = "error" | "warning" | "note";
const LEVEL: Record<Severity, Level> = { error: "error", warning: "warning", info: "note" };

export type SarifInput = { uri: string; findings: readonly Finding[]; parseError: string | null };

function location(uri: string, line: number | null) {
  return { physicalLocation: { artifactLocation: { uri }, ...(line !== null && line > 0 ? { region: { startLine: line } } : {}) } };
}

export function toSarif(files: readonly SarifInput[], version: string) {
  const rules = [
    ...DOCKERFILE_RULES.map((rule) => ({
      id: rule.id,
      shortDescription: { text: rule.summary },
      defaultConfiguration: { level: LEVEL[rule.severity] },
      properties: { tags: ["security", "dockerfile"] },
    })),
    { id: PARSE_RULE, shortDescription: { text: "the Dockerfile can be parsed as BuildKit would" }, defaultConfiguration: { level: "error" as Level }, properties: { tags: ["dockerfile"] } },
  ];
  const results = files.flatMap((file) => [
    ...(file.parseError ? [{ ruleId: PARSE_RULE, level: "error" as Level, message: { text: file.parseError }, locations: [location(file.uri, lineIn(file.parseError))] }] : []),
    ...file.findings.flatMap((f) => {
      const outcome = findingResult(f);
      if (outcome !== "fail" && outcome !== "warning") return [];
      return [{ ruleId: f.rule, level: (outcome === "fail" ? "error" : "warning") as Level, message: { text: f.message }, locations: [location(file.uri, f.line)] }];
    }),
  ]);
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "lucid-compliance", version, informationUri: "https://github.com/HamiGames/Lucid", rules } }, results }],
  };
}

/** "line 12: …" at the start of a parse error names its line. */
function lineIn(message: string): number | null {
  const match = /^line (\d+)\b/.exec(message);
  return match ? Number(match[1]) : null;
}
