// What the parser of a build-commands document returns (lib/plan/parse.ts is its entry point).
export type ParsedImage = {
  step: number;
  title: string;
  name: string;
  repository: string;
  tags: string[];
  dockerfile: string;
  context: string;
  platforms: string[];
  push: boolean;
  line: number;
};

export type ParsedPhase = {
  number: number;
  name: string;
  category: string;
  required: number;
  line: number;
  images: ParsedImage[];
};

export type PlanIssue = { line: number; message: string };

export type ParsedPlan = { title: string | null; phases: ParsedPhase[]; warnings: PlanIssue[] };
