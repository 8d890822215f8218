import { describe, expect, it } from "vitest";
import { interpolate, InterpolationError } from "@/lib/deploy/compose/interpolate";

const ENV: Record<string, string> = { SET: "value", EMPTY: "", PORT: "8801", FALLBACK: "fallback" };
const lookup = (name: string) => ENV[name];
const run = (text: string) => interpolate(text, lookup).value;
const problem = (text: string) => {
  try {
    interpolate(text, lookup);
  } catch (error) {
    if (error instanceof InterpolationError) return error.problem;
    throw error;
  }
  return null;
};

describe("interpolate", () => {
  it.each([
    ["$SET and ${SET}", "value and value"],
    ["${UNSET:-d} ${EMPTY:-d} ${SET:-d}", "d d value"],
    ["${UNSET-d} [${EMPTY-d}] ${SET-d}", "d [] value"],
    ["[${UNSET:+alt}] [${EMPTY:+alt}] ${SET:+alt}", "[] [] alt"],
    ["[${UNSET+alt}] ${EMPTY+alt} ${SET+alt}", "[] alt alt"],
    ["${UNSET:-${ALSO_UNSET:-${FALLBACK}}}", "fallback"],
    ["${UNSET:-http://api:${PORT}/health}", "http://api:8801/health"],
    ["$${SET} costs $$5", "${SET} costs $5"],
    ["$ 5 and $5 and 100% $", "$ 5 and $5 and 100% $"],
    ["${PORT}:${PORT}", "8801:8801"],
    ["no variables at all", "no variables at all"],
  ])("%s → %s", (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  it("uses an empty string for a variable that is not set and says which ones were", () => {
    expect(interpolate("a${UNSET}b$ALSO_UNSET${EMPTY}", lookup)).toEqual({ value: "ab", unset: ["UNSET", "ALSO_UNSET"] });
  });

  it("refuses what Compose refuses, saying where: a colon without an operator, shell-only forms, an unclosed brace, no name", () => {
    // As written in the Lucid RDP Compose file.
    expect(problem("${RDP_SERVER_MANAGER_PORT:8801}:${RDP_SERVER_MANAGER_PORT:8801}")).toMatchObject({ kind: "invalid", offset: 0 });
    expect(problem("port ${VAR/a/b}")).toMatchObject({ kind: "invalid", offset: 5 });
    expect(problem("${UNCLOSED:-x")).toMatchObject({ kind: "invalid" });
    expect(problem("${}")).toMatchObject({ kind: "invalid" });
    expect(problem("${1ABC}")).toMatchObject({ kind: "invalid" });
    expect(problem("${UNSET:-${BAD:8}}")?.kind).toBe("invalid");
    expect(problem("${RDP_SERVER_MANAGER_PORT:8801}")!.message).toContain('"${RDP_SERVER_MANAGER_PORT:8801}"');
  });

  it("refuses a missing required variable with its message, and only when it is missing", () => {
    expect(problem("${MONGODB_URL:?MONGODB_URL not set}")).toEqual({ kind: "required", variable: "MONGODB_URL", offset: 0, message: "required variable MONGODB_URL is not set: MONGODB_URL not set" });
    expect(problem("x ${EMPTY:?}")).toMatchObject({ kind: "required", variable: "EMPTY", offset: 2, message: "required variable EMPTY is empty" });
    expect(run("[${EMPTY?must be set}]")).toBe("[]");
    expect(run("${SET:?never shown}")).toBe("value");
  });

  it("refuses defaults nested deeper than any real file does, instead of exhausting the stack", () => {
    expect(run("${A:-".repeat(30) + "x" + "}".repeat(30))).toBe("x");
    expect(problem("${A:-".repeat(20_000) + "x" + "}".repeat(20_000))).toMatchObject({ kind: "invalid", message: expect.stringContaining("nested more than 32 levels") });
  });

  it("takes long values and many expressions without trouble", () => {
    const text = "${SET}-".repeat(20_000);
    expect(run(text)).toBe("value-".repeat(20_000));
  });
});
