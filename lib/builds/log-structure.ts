// A build log read the way a CI run page shows it: the builder's steps folded into groups with their status and
// duration, the error lines listed, and what the builder did after the failure (cleanup, skipped pushes) dimmed.
// Types and pure functions only: the log viewer runs it in the browser, on the lines as they stream.
//
// The two builders the dashboard runs print steps differently:
// - BuildKit (docker buildx, --progress=plain): every line starts "#N ", steps interleave, a step's first line is
//   its title ("#5 [linux/arm64 builder 2/6] RUN …"), "#N DONE 1.2s" / "#N CACHED" / "#N ERROR: …" end it, and
//   "ERROR: failed to solve: …" ends the builder's error report.
// - buildah: "[linux/amd64] STEP 2/7: COPY …" starts a step (per platform when building several), the step's output
//   follows unprefixed, "[linux/amd64] COMMIT" the commit; "Error: …" with "\t* …" continuation lines is the failure.
//   buildah prints no step durations, so none is shown for its steps.
import type { LogLine } from "@/lib/builds/log";

export type StepStatus = "done" | "cached" | "error" | "canceled" | "running";

export type LogStep = {
  kind: "step";
  /** Stable per step: "#5" for BuildKit, "linux/amd64 STEP 2/7" for buildah. */
  key: string;
  title: string;
  lines: LogLine[];
  status: StepStatus;
  /** Seconds, as the builder printed them; null when it did not. */
  durationS: number | null;
};

export type LogItem = LogStep | { kind: "plain"; lines: LogLine[] };

export type LineMark = "error" | "dim";

export type StructuredLog = {
  items: LogItem[];
  /** The error lines up to and including the builder's failure report, and the dashboard's own verdict. */
  errors: LogLine[];
  marks: ReadonlyMap<number, LineMark>;
};

const BUILDKIT = /^#(\d+) (.*)$/;
const BUILDKIT_TITLE = /^\[.+\] |^\[internal\] |^(?:load|resolve|exporting|pushing|naming|writing|transferring|building with|importing|preparing|sending)/;
const BUILDKIT_END = /^(?:DONE ([\d.]+)s|CACHED|ERROR: .*|CANCELED)$/;
const BUILDKIT_OUTPUT_TIME = /^\d+\.\d+ /;
const BUILDAH_STEP = /^(?:\[([^\]\s]+)\] )?(STEP \d+\/\d+: .*|COMMIT.*)$/;
const OWN_COMMAND = /^\$ /;
const OWN_VERDICT = /^Build (?:failed|cancelled|interrupted)\b/;
// An output line that reports an error, after any "#N 1.234 " prefix: what compilers, package managers and the
// builders themselves start such lines with. "-Werror" or "error_log" inside a line are not errors.
const ERROR_LINE = /^(?:error|fatal|ERROR|FATAL|Error)\b[:!\s]|^npm ERR!|^E: |^\s*\* building at STEP /;
const BUILDER_REPORT_END = /^ERROR: failed to (?:solve|build)\b|^ERROR: .*failed to solve/;

const outputText = (text: string) => {
  const m = BUILDKIT.exec(text);
  const body = m ? m[2]! : text;
  return body.replace(BUILDKIT_OUTPUT_TIME, "");
};

function isErrorLine(text: string): boolean {
  return ERROR_LINE.test(outputText(text)) || OWN_VERDICT.test(text);
}

/**
 * Folds, marks and lists. `finished` tells whether the build has ended: the last open step of a running build is
 * "running", of a finished one "error" when the build failed, else "done".
 */
export function structureLog(lines: readonly LogLine[], state: { finished: boolean; failed: boolean } = { finished: true, failed: false }): StructuredLog {
  const items: LogItem[] = [];
  const steps = new Map<string, LogStep>();
  let buildahCurrent: LogStep | null = null;
  let plain: { kind: "plain"; lines: LogLine[] } | null = null;

  const toPlain = (line: LogLine) => {
    buildahCurrent = null;
    if (!plain) {
      plain = { kind: "plain", lines: [] };
      items.push(plain);
    }
    plain.lines.push(line);
  };
  const open = (key: string, title: string, line: LogLine): LogStep => {
    const step: LogStep = { kind: "step", key, title, lines: [line], status: "running", durationS: null };
    steps.set(key, step);
    items.push(step);
    plain = null;
    return step;
  };

  for (const line of lines) {
    const buildkit = BUILDKIT.exec(line.text);
    if (buildkit) {
      const key = `#${buildkit[1]}`;
      const body = buildkit[2]!;
      const step = steps.get(key) ?? open(key, BUILDKIT_TITLE.test(body) ? body : key, line);
      if (step.lines[0] !== line) step.lines.push(line);
      const end = BUILDKIT_END.exec(body);
      if (end) {
        step.status = body.startsWith("DONE") ? "done" : body === "CACHED" ? "cached" : body === "CANCELED" ? "canceled" : "error";
        if (end[1]) step.durationS = Number(end[1]);
      }
      continue;
    }
    const buildah = BUILDAH_STEP.exec(line.text);
    if (buildah) {
      const platform = buildah[1];
      const label = buildah[2]!.startsWith("COMMIT") ? "COMMIT" : buildah[2]!.slice(0, buildah[2]!.indexOf(":"));
      // A step of the same platform that started before has ended.
      for (const s of steps.values()) if (s.status === "running" && s.key.startsWith(`${platform ?? ""} `)) s.status = "done";
      buildahCurrent = open(`${platform ?? ""} ${label} @${line.n}`, platform ? `[${platform}] ${buildah[2]}` : buildah[2]!, line);
      continue;
    }
    if (OWN_COMMAND.test(line.text) || OWN_VERDICT.test(line.text) || /^Error\b/.test(line.text) || /^\[skipped: /.test(line.text)) {
      toPlain(line);
      continue;
    }
    if (buildahCurrent) (buildahCurrent as LogStep).lines.push(line);
    else toPlain(line);
  }

  // Steps still open when the log ends: a running build is still in them; a failed one failed in them.
  for (const step of steps.values()) {
    if (step.status !== "running") continue;
    step.status = !state.finished ? "running" : state.failed && !step.key.startsWith("#") ? "error" : state.failed ? "canceled" : "done";
  }

  return { items, ...markErrors(lines, state.failed) };
}

/** Error lines, and the failure's aftermath: everything after the builder's error report but the verdict, dimmed. */
function markErrors(lines: readonly LogLine[], failed: boolean): Pick<StructuredLog, "errors" | "marks"> {
  const marks = new Map<number, LineMark>();
  const errors: LogLine[] = [];
  let reportEnd: number | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (reportEnd !== null && line.n > reportEnd) {
      if (OWN_VERDICT.test(line.text)) {
        marks.set(line.n, "error");
        errors.push(line);
      } else {
        marks.set(line.n, "dim");
      }
      continue;
    }
    if (!isErrorLine(line.text)) continue;
    marks.set(line.n, "error");
    errors.push(line);
    if (!failed) continue;
    if (BUILDER_REPORT_END.test(line.text)) reportEnd = line.n;
    else if (/^Error\b/.test(line.text)) {
      // buildah's report: "Error: …" and its indented "* …" lines.
      let j = i + 1;
      while (j < lines.length && /^\s+\S/.test(lines[j]!.text)) j++;
      reportEnd = lines[j - 1]!.n;
    }
  }
  return { errors: errors.slice(0, 50), marks };
}
