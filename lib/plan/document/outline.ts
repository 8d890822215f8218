// The outline of a build-commands document: phases, numbered steps and the build command under each step.
import type { ParsedImage, ParsedPhase } from "@/lib/plan/document/types";
import { tokenizeShell } from "@/lib/shell/lexer";
import { type BuildCommand, findDockerBuild } from "@/lib/plan/document/buildx-command";
import { type ImageDraft, readImage } from "@/lib/plan/document/image";
import { IssueLog } from "@/lib/plan/document/issues";
import { type FencedBlock, type Heading, SHELL_LANGUAGES, stripLeadingSymbols } from "@/lib/plan/document/markdown";

type PhaseHeading = { number: number; category: string; required: number | null };

export type StepDraft = { number: number; title: string; line: number; commandLine: number | null; image: ImageDraft | null };

export type PhaseDraft = PhaseHeading & { line: number; steps: StepDraft[] };

const PHASE_HEADING = /^phase\s+(\d+)\b\s*[:.\-–—]?\s*(.*)$/i;
const IMAGE_COUNT = /\(\s*(\d+)\s+images?\s*\)/i;
const STEP_HEADING = /^(\d+)[.)]\s+(.+)$/;
const DOCKER_BUILD_TEXT = /\bdocker\s+buildx\s+build\b/;

function matchPhaseHeading(text: string): PhaseHeading | null {
  const match = PHASE_HEADING.exec(stripLeadingSymbols(text));
  if (!match) return null;
  const rest = match[2] ?? "";
  const count = IMAGE_COUNT.exec(rest);
  const label = (count ? rest.slice(0, count.index) : rest).replace(/[\s:.\-–—]+$/, "");
  return {
    number: Number(match[1]),
    category: toTitleCase(label),
    required: count ? Number(count[1]) : null,
  };
}

function matchStepHeading(text: string): { number: number; title: string } | null {
  const match = STEP_HEADING.exec(stripLeadingSymbols(text));
  if (!match) return null;
  return { number: Number(match[1]), title: (match[2] ?? "").trim() };
}

function toTitleCase(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/(^|[\s\-/])(\p{L})/gu, (_match, separator: string, letter: string) => separator + letter.toUpperCase());
}

export class OutlineBuilder {
  title: string | null = null;
  private readonly phases: PhaseDraft[] = [];
  private phase: PhaseDraft | null = null;
  private step: StepDraft | null = null;
  private stepLevel = 0;
  private readonly phaseLines = new Map<number, number>();
  private readonly stepLines = new Map<number, number>();

  constructor(private readonly log: IssueLog) {}

  addHeading(heading: Heading, line: number): void {
    if (heading.level === 1) {
      this.title ??= heading.text;
      this.leavePhase();
      return;
    }
    const phase = heading.level <= 3 ? matchPhaseHeading(heading.text) : null;
    if (phase) return this.startPhase(phase, heading.text, line);
    // Any other level-2 heading (e.g. "BATCH BUILD SCRIPT") closes the phase.
    if (heading.level === 2) return this.leavePhase();
    // A deeper heading is a subsection of the current step, not the end of it.
    if (this.step && heading.level > this.stepLevel) return;
    const step = matchStepHeading(heading.text);
    if (step && this.phase) return this.startStep(this.phase, step, heading.level, line);
    this.step = null;
  }

  addBlock(block: FencedBlock): void {
    if (!SHELL_LANGUAGES.has(block.language)) return;
    const { commands, issues } = tokenizeShell(block.text, block.firstLine);
    const mentionsDocker = DOCKER_BUILD_TEXT.test(block.text);
    // Shell blocks outside phases (like the batch script) only matter if they build images.
    if (this.phase === null && !mentionsDocker) return;
    for (const issue of issues) this.log.error(issue.line, issue.message);
    for (const command of commands) {
      const build = findDockerBuild(command);
      if (!build) continue;
      const damaged = issues.some((i) => i.line >= build.line && i.line <= build.endLine);
      this.addBuildCommand(build, damaged);
    }
  }

  finish(): PhaseDraft[] {
    if (this.phases.length === 0) {
      this.log.error(1, 'document has no phases (expected a heading like "## PHASE 1: BASE INFRASTRUCTURE (3 images)")');
    }
    for (const phase of this.phases) this.checkPhase(phase);
    return this.phases;
  }

  private startPhase(heading: PhaseHeading, text: string, line: number): void {
    if (heading.required === null) {
      this.log.error(line, `phase heading "${text}" has no "(N images)" count`);
    }
    if (heading.category === "") {
      this.log.error(line, `phase ${heading.number} heading has no category name after the number`);
    }
    const previous = this.phaseLines.get(heading.number);
    if (previous !== undefined) {
      this.log.error(line, `duplicate phase number ${heading.number} (already used at line ${previous})`);
    } else {
      this.phaseLines.set(heading.number, line);
    }
    this.phase = { ...heading, line, steps: [] };
    this.phases.push(this.phase);
    this.step = null;
  }

  private leavePhase(): void {
    this.phase = null;
    this.step = null;
  }

  private startStep(phase: PhaseDraft, step: { number: number; title: string }, level: number, line: number): void {
    const previous = this.stepLines.get(step.number);
    if (previous !== undefined) {
      this.log.error(line, `duplicate step number ${step.number} (already used at line ${previous})`);
    } else {
      this.stepLines.set(step.number, line);
    }
    this.step = { ...step, line, commandLine: null, image: null };
    this.stepLevel = level;
    phase.steps.push(this.step);
  }

  private addBuildCommand(build: BuildCommand, damaged: boolean): void {
    if (this.phase === null) {
      this.log.error(build.line, "docker buildx build outside any phase (no phase heading such as \"## PHASE 1: NAME (N images)\" above it)");
      return;
    }
    if (this.step === null) {
      this.log.error(build.line, `docker buildx build in phase ${this.phase.number} is not under a numbered step heading such as "### 1. Title"`);
      return;
    }
    if (this.step.commandLine !== null) {
      this.log.error(build.line, `step ${this.step.number} has more than one docker buildx build command (first at line ${this.step.commandLine})`);
      return;
    }
    this.step.commandLine = build.line;
    // A command cut short by a lexer error would only produce follow-on noise.
    if (!damaged) this.step.image = readImage(build, this.log);
  }

  private checkPhase(phase: PhaseDraft): void {
    for (const step of phase.steps) {
      if (step.commandLine === null) {
        this.log.error(step.line, `step ${step.number} "${step.title}" has no docker buildx build command`);
      }
    }
    const found = phase.steps.filter((s) => s.commandLine !== null).length;
    if (phase.required !== null && found !== phase.required) {
      this.log.warn(phase.line, `phase ${phase.number} declares ${phase.required} images but ${found} were found`);
    }
  }
}

export function toParsedPhase(phase: PhaseDraft, names: Map<ImageDraft, string>): ParsedPhase {
  const images: ParsedImage[] = [];
  for (const step of phase.steps) {
    if (!step.image) continue;
    const { refs: _refs, ...image } = step.image;
    images.push({ step: step.number, title: step.title, name: names.get(step.image) ?? "", ...image });
  }
  return {
    number: phase.number,
    name: `Phase ${phase.number}`,
    category: phase.category,
    required: phase.required ?? 0,
    line: phase.line,
    images,
  };
}
