import { describe, expect, it } from "vitest";
import { parsePlan, PlanParseError, type ParsedImage, type ParsedPlan, type PlanIssue } from "@/lib/plan/parse";
import { hasLucidFixtures, lucidPlanDocument } from "@/lib/testing/lucid-fixtures";

// Where the real document is absent this suite is skipped; the stand-in only lets it be collected.
const realMarkdown = lucidPlanDocument();
const FENCE = "```";

function allImages(plan: ParsedPlan): ParsedImage[] {
  return plan.phases.flatMap((phase) => phase.images);
}

function lineOf(markdown: string, fragment: string, after = 0): number {
  const lines = markdown.split(/\r?\n/);
  const index = lines.findIndex((line, i) => i >= after && line.includes(fragment));
  if (index < 0) throw new Error(`fragment not found: ${fragment}`);
  return index + 1;
}

function parseErrors(markdown: string): PlanIssue[] {
  try {
    parsePlan(markdown);
  } catch (error) {
    if (error instanceof PlanParseError) return error.issues;
    throw error;
  }
  throw new Error("expected parsePlan to throw PlanParseError");
}

function expectIssue(issues: PlanIssue[], line: number, phrase: RegExp): void {
  expect(issues, `no issue at line ${line} matching ${phrase}`).toContainEqual({ line, message: expect.stringMatching(phrase) });
}

/** A one-phase document whose only step builds with `command` (given as lines). */
function onePhase(command: string[], heading = "## 📋 **PHASE 1: BASE INFRASTRUCTURE (1 images)**"): string {
  return ["# Test plan", "", heading, "", "### **1. Base**", `${FENCE}bash`, ...command, FENCE, ""].join("\n");
}

function buildCommand(overrides: { tags?: string[]; extra?: string[] } = {}): string[] {
  const tags = overrides.tags ?? ["pickme/lucid-base:latest-arm64"];
  return [
    "docker buildx build --platform linux/arm64,linux/amd64 \\",
    ...tags.map((tag) => `  -t ${tag} \\`),
    ...(overrides.extra ?? []).map((line) => `  ${line} \\`),
    "  -f base/Dockerfile \\",
    "  --push \\",
    "  base/",
  ];
}

describe.skipIf(!hasLucidFixtures)("parsePlan on the real 35-image document", () => {
  const plan = parsePlan(realMarkdown);
  const images = allImages(plan);
  const byStep = (step: number): ParsedImage => {
    const image = images.find((i) => i.step === step);
    if (!image) throw new Error(`no image for step ${step}`);
    return image;
  };

  it("reads the title and the six phases", () => {
    expect(plan.title).toBe("Lucid Project - 35 Images Build Commands");
    expect(plan.phases.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(plan.phases.map((p) => p.name)).toEqual(["Phase 1", "Phase 2", "Phase 3", "Phase 4", "Phase 5", "Phase 6"]);
    expect(plan.phases.map((p) => p.category)).toEqual([
      "Base Infrastructure",
      "Foundation Services",
      "Core Services",
      "Application Services",
      "Support Services",
      "Specialized Services",
    ]);
    expect(plan.phases.map((p) => p.required)).toEqual([3, 4, 6, 10, 7, 5]);
    expect(plan.phases.map((p) => p.images.length)).toEqual([3, 4, 6, 10, 7, 5]);
    expect(plan.phases[3]?.line).toBe(lineOf(realMarkdown, "PHASE 4: APPLICATION SERVICES"));
  });

  it("finds 35 images in step order, each multi-platform, pushed and double-tagged", () => {
    expect(images).toHaveLength(35);
    expect(images.map((i) => i.step)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    for (const image of images) {
      expect(image.platforms).toEqual(["linux/arm64", "linux/amd64"]);
      expect(image.push).toBe(true);
      expect(image.tags).toHaveLength(2);
      expect(image.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
    }
    expect(new Set(images.map((i) => i.name)).size).toBe(35);
  });

  it("parses step 18 (Session API) exactly", () => {
    const headingLine = lineOf(realMarkdown, "### **18. Session API**");
    expect(byStep(18)).toEqual({
      step: 18,
      title: "Session API",
      name: "lucid-session-api",
      repository: "pickme/lucid-session-api",
      tags: ["pickme/lucid-session-api:latest-arm64", "pickme/lucid-session-api:latest-$(date +%Y%m%d-%H%M%S)"],
      dockerfile: "sessions/Dockerfile.api",
      context: "sessions",
      platforms: ["linux/arm64", "linux/amd64"],
      push: true,
      line: lineOf(realMarkdown, "docker buildx build", headingLine),
    });
    expect(realMarkdown.split("\n")[byStep(18).line - 1]).toMatch(/^docker buildx build /);
  });

  it("tells the three pickme/lucid-base images apart by their fixed tag", () => {
    expect([1, 2, 3].map((step) => byStep(step).name)).toEqual([
      "lucid-base-python-distroless",
      "lucid-base-java-distroless",
      "lucid-base",
    ]);
    expect(byStep(1).dockerfile).toBe("infrastructure/containers/base/Dockerfile.python-base");
    expect(byStep(1).context).toBe("infrastructure/containers/base");
  });

  it("parses step 25 (TRON Client)", () => {
    expect(byStep(25).name).toBe("lucid-tron-client");
    expect(byStep(25).dockerfile).toBe("payment-systems/tron/Dockerfile.tron-client");
    expect(byStep(25).context).toBe("payment-systems/tron");
  });

  it("ignores the batch build script and reports no warnings", () => {
    expect(plan.warnings).toEqual([]);
  });

  it("parses CRLF line endings identically", () => {
    expect(parsePlan(realMarkdown.replace(/\r?\n/g, "\r\n"))).toEqual(plan);
  });
});

describe("parsePlan command syntax", () => {
  it("accepts --flag=value forms and quoted words", () => {
    const markdown = onePhase([
      "docker buildx build --platform=linux/arm64/v8 \\",
      '  --tag="pickme/lucid-base:latest-$(date +%Y%m%d-%H%M%S)" \\',
      "  --tag='pickme/lucid-base:stable' \\",
      '  --file="./base/My Dockerfile" \\',
      "  --push \\",
      '  "./base/"',
    ]);
    const [image] = allImages(parsePlan(markdown));
    expect(image).toMatchObject({
      tags: ["pickme/lucid-base:latest-$(date +%Y%m%d-%H%M%S)", "pickme/lucid-base:stable"],
      dockerfile: "base/My Dockerfile",
      context: "base",
      platforms: ["linux/arm64/v8"],
      push: true,
    });
  });

  it("accepts -t/-f short forms, attached values, repeated --platform and '.' as context", () => {
    const markdown = onePhase([
      "docker buildx build --platform linux/arm64 --platform linux/amd64 -tpickme/lucid-base:a -t=pickme/lucid-base:b -f Dockerfile --push .",
    ]);
    expect(allImages(parsePlan(markdown))[0]).toMatchObject({
      tags: ["pickme/lucid-base:a", "pickme/lucid-base:b"],
      dockerfile: "Dockerfile",
      context: ".",
      platforms: ["linux/arm64", "linux/amd64"],
    });
  });

  it("keeps $(date ...) as one word even with nested quotes and parentheses", () => {
    const markdown = onePhase(buildCommand({ tags: ['pickme/lucid-base:v-$(date "+%Y%m%d-%H%M%S" | tr -d "()")'] }));
    expect(allImages(parsePlan(markdown))[0]?.tags).toEqual(['pickme/lucid-base:v-$(date "+%Y%m%d-%H%M%S" | tr -d "()")']);
  });

  it("consumes values of known flags and treats --load as no push", () => {
    const markdown = onePhase([
      "docker buildx build --platform linux/arm64 \\",
      "  --build-arg VERSION=1.2 --progress plain --cache-from type=gha \\",
      "  --provenance=false --load \\",
      "  -t pickme/lucid-base:latest -f base/Dockerfile base",
    ]);
    const plan = parsePlan(markdown);
    expect(plan.warnings).toEqual([]);
    expect(allImages(plan)[0]).toMatchObject({ context: "base", push: false });
  });

  it("treats --output type=registry and type=image,push=true as a push", () => {
    for (const output of ["--output type=registry", "--output=type=image,name=x,push=true", "-o type=registry"]) {
      const markdown = onePhase(["docker buildx build --platform linux/arm64 -t pickme/lucid-base:1 -f Dockerfile " + output + " ."]);
      expect(allImages(parsePlan(markdown))[0]?.push, output).toBe(true);
    }
  });

  it("tolerates comments, blank lines, other commands, heredocs and backslashes followed by spaces", () => {
    const markdown = onePhase([
      "# it's a comment with an apostrophe",
      "mkdir -p base && echo \"ready # not a comment\" > /tmp/log 2>&1",
      "cat > base/notes.txt <<'EOF'",
      "don't parse me: docker buildx build --nonsense",
      "EOF",
      "",
      "docker buildx build --platform linux/arm64 \\   ",
      "  -t pickme/lucid-base:latest \\\t",
      "  -f base/Dockerfile base/ # trailing comment",
    ]);
    const plan = parsePlan(markdown);
    expect(plan.warnings).toEqual([]);
    expect(allImages(plan)[0]).toMatchObject({ context: "base", line: lineOf(markdown, "docker buildx build --platform") });
  });

  it("finds the build inside a command chain with env prefixes and redirections", () => {
    const markdown = onePhase([
      "cd repo && DOCKER_BUILDKIT=1 docker buildx build --platform linux/arm64 \\",
      "  -t pickme/lucid-base:1 -f base/Dockerfile base 2>&1 | tee build.log",
    ]);
    expect(allImages(parsePlan(markdown))[0]).toMatchObject({ context: "base", line: lineOf(markdown, "cd repo") });
  });

  it("accepts phase headings without emoji or bold, at level 3, in any case", () => {
    const markdown = onePhase(buildCommand(), "### phase 7 - multi-stage BUILDS (1 image)");
    expect(parsePlan(markdown).phases[0]).toMatchObject({ number: 7, name: "Phase 7", category: "Multi-Stage Builds", required: 1 });
  });

  it("keeps sub-headings inside a step and ignores non-shell blocks", () => {
    const markdown = [
      "## PHASE 1: BASE (1 images)",
      "### 1. Base",
      "#### Build it",
      `${FENCE}text`,
      "docker buildx build not a command here",
      FENCE,
      `${FENCE}sh`,
      ...buildCommand(),
      FENCE,
    ].join("\n");
    expect(allImages(parsePlan(markdown))).toHaveLength(1);
  });
});

describe("parsePlan warnings", () => {
  it("warns about an unknown flag on the physical line that holds it", () => {
    const markdown = onePhase(buildCommand({ extra: ["--frobnicate=yes"] }));
    const { warnings } = parsePlan(markdown);
    expect(warnings).toEqual([{ line: lineOf(markdown, "--frobnicate"), message: expect.stringMatching(/unknown .*flag --frobnicate/) }]);
  });

  it("warns when --platform is missing and records []", () => {
    const markdown = onePhase(["docker buildx build -t pickme/lucid-base:1 -f Dockerfile --push ."]);
    const plan = parsePlan(markdown);
    expect(allImages(plan)[0]?.platforms).toEqual([]);
    expect(plan.warnings).toEqual([{ line: lineOf(markdown, "docker buildx"), message: expect.stringMatching(/no --platform/) }]);
  });

  it("warns when the declared image count differs from the images found, giving both numbers", () => {
    const markdown = onePhase(buildCommand(), "## PHASE 1: BASE INFRASTRUCTURE (3 images)");
    expect(parsePlan(markdown).warnings).toEqual([
      { line: lineOf(markdown, "PHASE 1"), message: expect.stringMatching(/declares 3 images but 1 were found/) },
    ]);
  });
});

describe("parsePlan errors", () => {
  it("reports a missing -f on the command line", () => {
    const markdown = onePhase(["docker buildx build --platform linux/arm64 -t pickme/lucid-base:1 --push base/"]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "docker buildx"), /missing -f/);
  });

  it("reports a missing context", () => {
    const markdown = onePhase(["docker buildx build --platform linux/arm64 -t pickme/lucid-base:1 -f Dockerfile --push"]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "docker buildx"), /missing its build context/);
  });

  it("reports a second positional context on its own line", () => {
    const markdown = onePhase([...buildCommand().slice(0, -1), "  base/ \\", "  other/"]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "other/"), /more than one positional context.*"other\/"/);
  });

  it("hints when the extra positional probably belongs to an unknown flag", () => {
    const markdown = onePhase(buildCommand({ extra: ["--mystery value"] }));
    expectIssue(parseErrors(markdown), lineOf(markdown, "base/", lineOf(markdown, "--push")), /write --mystery=value/);
  });

  it("reports a command without -t", () => {
    const markdown = onePhase(["docker buildx build --platform linux/arm64 -f Dockerfile --push ."]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "docker buildx"), /no -t\/--tag/);
  });

  it("reports a flag that is missing its value", () => {
    const markdown = onePhase(["docker buildx build --platform linux/arm64 -t pickme/lucid-base:1 --push . -f"]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "docker buildx"), /-f needs a value/);
  });

  it.each([
    ["pickme/Lucid-Base:latest", /must be lowercase/],
    ["pickme/-lucid:latest", /not a valid image reference/],
    ["pickme/lucid-base:-bad", /not a valid image reference/],
    ["pickme/lucid-base@sha256:abc", /digest/],
    ["pickme/lucid-base:v-$(git rev-parse HEAD)", /only \$\(date \.\.\.\) is supported/],
    ["pickme/lucid-$(date +%Y):1", /only allowed after ':'/],
    ["pickme/lucid-base:$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)$(date +%Y%m%d-%H%M%S)", /not a valid image reference/],
  ])("rejects the tag %s on its line", (tag, phrase) => {
    const markdown = onePhase(buildCommand({ tags: ["pickme/lucid-base:ok", tag] }));
    expectIssue(parseErrors(markdown), lineOf(markdown, tag), phrase);
  });

  it("accepts registry hosts with ports and template tags", () => {
    const markdown = onePhase(buildCommand({ tags: ["localhost:5000/team/lucid-base:1.0", "pickme/lucid-base:x-$(date +%Y%m%d-%H%M%S)"] }));
    expect(allImages(parsePlan(markdown))[0]).toMatchObject({ repository: "localhost:5000/team/lucid-base", name: "lucid-base" });
  });

  it.each([
    ["-f /abs/Dockerfile", "-f /abs", /-f path "\/abs\/Dockerfile" is an absolute path/],
    ["-f ../other/Dockerfile", "-f ../other", /escapes the repository root/],
    ["-f base/../../Dockerfile", "-f base/..", /escapes the repository root/],
  ])("rejects %s", (flag, marker, phrase) => {
    const markdown = onePhase(["docker buildx build --platform linux/arm64 \\", "  -t pickme/lucid-base:1 \\", `  ${flag} \\`, "  --push ."]);
    expectIssue(parseErrors(markdown), lineOf(markdown, marker), phrase);
  });

  it.each([
    ["/srv/base", /context "\/srv\/base" is an absolute path/],
    ["~/base", /is an absolute path/],
    ["../base", /context "\.\.\/base" escapes the repository root/],
    ["https://github.com/x/y.git", /is a URL/],
  ])("rejects the context %s", (context, phrase) => {
    const markdown = onePhase([...buildCommand().slice(0, -1), `  ${context}`]);
    expectIssue(parseErrors(markdown), lineOf(markdown, context), phrase);
  });

  it("rejects a platform that is not os/arch[/variant]", () => {
    const markdown = onePhase(["docker buildx build \\", "  --platform linux/arm64,arm64 \\", "  -t pickme/lucid-base:1 -f Dockerfile --push ."]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "--platform"), /platform "arm64" .*os\/arch\[\/variant\]/);
  });

  it("reports an unterminated code fence at its opening line", () => {
    const markdown = onePhase(buildCommand()).replace(/\n```\n$/, "\n");
    expectIssue(parseErrors(markdown), lineOf(markdown, "```bash"), /never closed/);
  });

  it("reports an unterminated double quote where it opens", () => {
    const markdown = onePhase(buildCommand({ tags: ['"pickme/lucid-base:1'] }));
    const issues = parseErrors(markdown);
    expectIssue(issues, lineOf(markdown, '"pickme'), /unterminated double quote/);
    expect(issues).toHaveLength(1);
  });

  it("reports an unterminated single quote where it opens", () => {
    const markdown = onePhase(["docker buildx build --platform linux/arm64 -t pickme/lucid-base:1 \\", "  -f 'base/Dockerfile \\", "  --push ."]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "-f 'base"), /unterminated single quote/);
  });

  it("reports an unterminated $( where it opens", () => {
    const markdown = onePhase(buildCommand({ tags: ["pickme/lucid-base:v-$(date"] }));
    expectIssue(parseErrors(markdown), lineOf(markdown, "$(date"), /unterminated \$\(/);
  });

  it("reports a \\ continuation that runs off the end of the block", () => {
    const markdown = onePhase([...buildCommand().slice(0, -1), "  base/ \\  ", ""]);
    expectIssue(parseErrors(markdown), lineOf(markdown, "  base/ \\"), /continuation but the code block ends/);
  });

  it("reports a duplicate step number naming both lines", () => {
    const markdown = [
      "## PHASE 1: BASE (2 images)",
      "### 1. One",
      `${FENCE}bash`,
      ...buildCommand({ tags: ["pickme/one:1"] }),
      FENCE,
      "### 1. Again",
      `${FENCE}bash`,
      ...buildCommand({ tags: ["pickme/two:1"] }),
      FENCE,
    ].join("\n");
    expectIssue(parseErrors(markdown), lineOf(markdown, "### 1. Again"), new RegExp(`duplicate step number 1 \\(already used at line ${lineOf(markdown, "### 1. One")}\\)`));
  });

  it("reports a step heading that has no docker command", () => {
    const markdown = [
      "## PHASE 1: BASE (2 images)",
      "### 1. One",
      `${FENCE}bash`,
      ...buildCommand(),
      FENCE,
      "### **2. Empty**",
      `${FENCE}bash`,
      "mkdir -p nothing",
      FENCE,
    ].join("\n");
    expectIssue(parseErrors(markdown), lineOf(markdown, "2. Empty"), /step 2 "Empty" has no docker buildx build command/);
  });

  it("reports a document without phases", () => {
    expectIssue(parseErrors("# Nothing here\n\nJust prose.\n"), 1, /no phases/);
  });

  it("reports a phase heading without an image count", () => {
    const markdown = onePhase(buildCommand(), "## 📋 **PHASE 1: BASE INFRASTRUCTURE**");
    expectIssue(parseErrors(markdown), lineOf(markdown, "PHASE 1"), /no "\(N images\)" count/);
  });

  it("reports docker buildx build after a non-phase level-2 heading as outside any phase", () => {
    const markdown = [
      onePhase(buildCommand()),
      "## 🚀 **BATCH BUILD SCRIPT**",
      `${FENCE}bash`,
      "echo 'no images here'",
      FENCE,
      `${FENCE}bash`,
      "docker buildx build -t pickme/stray:1 -f Dockerfile .",
      FENCE,
    ].join("\n");
    const issues = parseErrors(markdown);
    expect(issues).toEqual([{ line: lineOf(markdown, "pickme/stray"), message: expect.stringMatching(/outside any phase/) }]);
  });

  it("reports docker buildx build in a phase but before any step heading", () => {
    const markdown = ["## PHASE 1: BASE (0 images)", `${FENCE}bash`, ...buildCommand(), FENCE].join("\n");
    expectIssue(parseErrors(markdown), 3, /not under a numbered step heading/);
  });

  it("reports two docker commands under one step", () => {
    const markdown = onePhase([...buildCommand(), ...buildCommand({ tags: ["pickme/other:1"] })]);
    const second = lineOf(markdown, "docker buildx", lineOf(markdown, "docker buildx"));
    expectIssue(parseErrors(markdown), second, /more than one docker buildx build command/);
  });

  it("reports duplicate image names naming both lines", () => {
    const markdown = [
      "## PHASE 1: BASE (2 images)",
      "### 1. One",
      `${FENCE}bash`,
      ...buildCommand({ tags: ["pickme/lucid-base:latest-arm64"] }),
      FENCE,
      "### 2. Two",
      `${FENCE}bash`,
      ...buildCommand({ tags: ["pickme/lucid-base:latest-amd64"] }),
      FENCE,
    ].join("\n");
    const first = lineOf(markdown, "docker buildx");
    const second = lineOf(markdown, "docker buildx", first);
    expectIssue(parseErrors(markdown), second, new RegExp(`duplicate image name "lucid-base".*line ${first}.*line ${second}`));
  });

  it("reports a derived name that is not URL-safe", () => {
    const markdown = [
      "## PHASE 1: BASE (2 images)",
      "### 1. One",
      `${FENCE}bash`,
      ...buildCommand({ tags: ["pickme/lucid-base:Python-arm64"] }),
      FENCE,
      "### 2. Two",
      `${FENCE}bash`,
      ...buildCommand({ tags: ["pickme/lucid-base:latest"] }),
      FENCE,
    ].join("\n");
    expectIssue(parseErrors(markdown), lineOf(markdown, "docker buildx"), /"lucid-base-Python" .*not URL-safe/);
  });

  it("collects every problem and lists them as 'line N: ...' in the message", () => {
    const markdown = [
      "## PHASE 1: BASE (2 images)",
      "### 1. One",
      `${FENCE}bash`,
      "docker buildx build --platform linux/arm64 -t pickme/one:1 --push one/",
      FENCE,
      "### 2. Two",
      `${FENCE}bash`,
      "docker buildx build --platform linux/arm64 -t pickme/two:1 -f /two/Dockerfile --push two/",
      FENCE,
    ].join("\n");
    let caught: unknown;
    try {
      parsePlan(markdown);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PlanParseError);
    const error = caught as PlanParseError;
    expect(error.issues.map((i) => i.line)).toEqual([4, 8]);
    expect(error.message).toMatch(/line 4: .*missing -f/);
    expect(error.message).toMatch(/line 8: .*absolute path/);
  });

  it("reports errors on the same lines with CRLF line endings", () => {
    const markdown = onePhase(["docker buildx build --platform linux/arm64 -t pickme/lucid-base:1 --push base/"]);
    expect(parseErrors(markdown.replace(/\n/g, "\r\n"))).toEqual(parseErrors(markdown));
  });
});
