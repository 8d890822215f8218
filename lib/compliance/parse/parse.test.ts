import { describe, expect, it } from "vitest";
import { parseDockerfile } from "@/lib/compliance/dockerfile";
import { effectiveUser, finalBase } from "@/lib/compliance/facts";

const parsed = (lines: string[]) => {
  const result = parseDockerfile(lines.join("\n"));
  if (!result.dockerfile) throw new Error(result.error);
  return result.dockerfile;
};

describe("variables, scoped as BuildKit scopes them", () => {
  it("resolves ARG defaults that use earlier ARGs, through stage aliases, before rules run", () => {
    const df = parsed(["ARG REGISTRY=gcr.io/distroless", "ARG BASE=${REGISTRY}/static:nonroot", "FROM ${BASE} AS runtime", "FROM runtime"]);
    expect(finalBase(df).image).toBe("gcr.io/distroless/static:nonroot");
  });

  it("does not let an ARG declared inside a stage reach a later FROM", () => {
    const df = parsed(["FROM debian AS build", "ARG BASE=gcr.io/distroless/static", "FROM ${BASE}"]);
    expect(finalBase(df)).toMatchObject({ image: "", unresolved: ["BASE"] });
  });

  it("gives a stage a global ARG only where it declares it again, with the global default", () => {
    expect(effectiveUser(parsed(["ARG UID=65532", "FROM scratch", "USER ${UID}"]))).toMatchObject({ value: "", unresolved: ["UID"] });
    expect(effectiveUser(parsed(["ARG UID=65532", "FROM scratch", "ARG UID", "USER ${UID}"]))?.value).toBe("65532");
    expect(effectiveUser(parsed(["ARG UID=65532", "FROM scratch", "ARG UID=1000", "USER ${UID}"]))?.value).toBe("1000");
  });

  it("sees ENV and ARG declared before the instruction, not after", () => {
    expect(effectiveUser(parsed(["FROM scratch", "ENV APP_UID=1001", "USER ${APP_UID}:${APP_UID}", "ENV APP_UID=0"]))?.value).toBe("1001:1001");
  });
});

describe("reading lines as BuildKit does", () => {
  it("skips comment lines inside a continuation and keeps line numbers", () => {
    const df = parsed(["FROM scratch", "USER \\", "# the user", "  65532:65532", "CMD [\"x\"]"]);
    expect(effectiveUser(df)).toMatchObject({ value: "65532:65532" });
    expect(effectiveUser(df)!.instruction.getRange()).toEqual({ start: { line: 1 }, end: { line: 3 } });
  });

  it("strips tabs of a <<- heredoc and keeps a heredoc's body out of the instructions", () => {
    const df = parsed(["FROM scratch", "RUN <<-EOF", "\tUSER root", "\tEOF", "USER 65532"]);
    expect(df.ast.getInstructions().map((i) => i.getKeyword())).toEqual(["FROM", "RUN", "USER"]);
    expect(effectiveUser(df)?.value).toBe("65532");
    expect(df.ast.getInstructions()[1]!.getArgumentsContent()).toBe("<<-EOF\nUSER root\nEOF");
  });
});

describe("variables: pairs, inherited ENV, and cost", () => {
  it("adds ARG pairs one by one, globally and in a stage", () => {
    expect(finalBase(parsed(["ARG A=alpine B=${A}", "FROM $B"])).image).toBe("alpine");
    expect(effectiveUser(parsed(["FROM scratch", "ARG A=1 B=${A}", "USER $B"]))?.value).toBe("1");
  });

  it("expands ENV inherited from a parent stage where it was set", () => {
    const df = parsed(["FROM debian AS base", "ARG UID=65532", "ENV APP_UID=${UID}", "FROM base", "USER ${APP_UID}:${APP_UID}"]);
    expect(effectiveUser(df)?.value).toBe("65532:65532");
  });

  it("works each default out once: defaults that use the previous one twice stay linear, not exponential", () => {
    const lines = ["FROM alpine", "ARG A0=x"];
    for (let n = 1; n <= 30; n++) lines.push(`ARG A${n}=\${A${n - 1}:+y}\${A${n - 1}:+y}`);
    lines.push("USER $A30");
    // Without working each one out once this takes hours (2^30 expansions); the test would time out.
    expect(effectiveUser(parsed(lines))?.value).toBe("yy");
  });
});
