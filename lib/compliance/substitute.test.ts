import { describe, expect, it } from "vitest";
import { hasVariable, substitute } from "@/lib/compliance/substitute";

const vars: Record<string, string | null> = { PY: "3.11", EMPTY: "", DECLARED: null };
const lookup = (name: string) => (name in vars ? vars[name] : undefined);

describe("substitute", () => {
  it("expands $NAME and ${NAME}", () => {
    expect(substitute("python:${PY}-slim $PY", lookup)).toEqual({ value: "python:3.11-slim 3.11", unresolved: [] });
  });

  it("applies :- - :+ + as BuildKit does", () => {
    expect(substitute("${EMPTY:-x} ${EMPTY-x} ${NOPE-x} ${PY:+set} ${EMPTY:+set} ${EMPTY+set} ${NOPE+set}", lookup).value).toBe("x  x set  set ");
    expect(substitute("${NOPE:-${PY}}", lookup).value).toBe("3.11");
  });

  it("reports variables without a value, once each", () => {
    expect(substitute("$NOPE/${DECLARED}/$NOPE", lookup)).toEqual({ value: "//", unresolved: ["NOPE", "DECLARED"] });
  });

  it("leaves escaped dollars, lone dollars and unknown modifiers alone", () => {
    expect(substitute("\\$PY $ $1 ${PY#3}", lookup)).toEqual({ value: "$PY $ $1 ${PY#3}", unresolved: ["PY"] });
    expect(substitute("`$PY", lookup, "`").value).toBe("$PY");
    expect(substitute("${PY", lookup).value).toBe("${PY");
  });

  it("tells whether text refers to a variable", () => {
    expect(hasVariable("a$B")).toBe(true);
    expect(hasVariable("${B}")).toBe(true);
    expect(hasVariable("a\\$B $ 1")).toBe(false);
  });
});
