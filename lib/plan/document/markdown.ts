// The Markdown structure of a build-commands document: headings and fenced code blocks, line by line.
import { IssueLog } from "@/lib/plan/document/issues";

/** Where the headings and shell blocks go, in document order (the outline builder). */
type OutlineSink = { addHeading(heading: Heading, line: number): void; addBlock(block: FencedBlock): void };

type Fence = { marker: string; language: string };

export type FencedBlock = { language: string; firstLine: number; text: string; endIndex: number };

export type Heading = { level: number; text: string };

export const SHELL_LANGUAGES = new Set(["", "bash", "sh", "shell", "zsh"]);

export function splitLines(markdown: string): string[] {
  return markdown.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
}

export function scanMarkdown(lines: string[], outline: OutlineSink, log: IssueLog): void {
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] ?? "";
    const fence = openingFence(text);
    if (fence) {
      const block = collectFencedBlock(lines, index, fence, log);
      outline.addBlock(block);
      index = block.endIndex;
      continue;
    }
    const heading = parseHeading(text);
    if (heading) outline.addHeading(heading, index + 1);
  }
}

function openingFence(text: string): Fence | null {
  const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(text);
  if (!match) return null;
  const marker = match[1] ?? "";
  const info = (match[2] ?? "").trim();
  // CommonMark: a backtick fence's info string may not contain backticks.
  if (marker.startsWith("`") && info.includes("`")) return null;
  return { marker, language: (info.split(/\s+/)[0] ?? "").toLowerCase() };
}

function isClosingFence(text: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
  const marker = match?.[1];
  return marker !== undefined && marker[0] === fence.marker[0] && marker.length >= fence.marker.length;
}

function collectFencedBlock(lines: string[], openIndex: number, fence: Fence, log: IssueLog): FencedBlock {
  let endIndex = openIndex + 1;
  while (endIndex < lines.length && !isClosingFence(lines[endIndex] ?? "", fence)) endIndex++;
  if (endIndex >= lines.length) {
    log.error(openIndex + 1, `code fence ${fence.marker}${fence.language} opened here is never closed`);
  }
  return {
    language: fence.language,
    firstLine: openIndex + 2,
    text: lines.slice(openIndex + 1, endIndex).join("\n"),
    endIndex: Math.min(endIndex, lines.length - 1),
  };
}

function parseHeading(text: string): Heading | null {
  const match = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/.exec(text);
  if (!match) return null;
  const raw = (match[2] ?? "").replace(/[ \t]+#+[ \t]*$/, "");
  return { level: (match[1] ?? "").length, text: stripEmphasis(raw) };
}

function stripEmphasis(text: string): string {
  return text
    .replace(/\*\*|__/g, "")
    .replace(/^[*_]+|[*_]+$/g, "")
    .trim();
}

/** Drops leading emoji and punctuation, e.g. "📋 PHASE 1" -> "PHASE 1". */
export function stripLeadingSymbols(text: string): string {
  return text.replace(/^[^\p{L}\p{N}]+/u, "");
}
