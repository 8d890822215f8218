// analyseDockerfile never throws: bad input gives findings or a clear parse error.
import { describe, expect, it } from "vitest";
import { analyseDockerfile } from "@/lib/compliance/analyse";
import { MAX_DOCKERFILE_BYTES } from "@/lib/compliance/dockerfile";
import { DOCKERFILE_RULES } from "@/lib/compliance/rules";
import type { DockerfileAnalysis } from "@/lib/compliance/types";

function expectWellFormed(result: DockerfileAnalysis) {
  expect(result.findings.map((f) => f.rule)).toEqual(DOCKERFILE_RULES.map((r) => r.id));
  for (const f of result.findings) {
    expect(["pass", "fail", "warn", "n/a"]).toContain(f.status);
    expect(f.message).not.toMatch(/internal error/);
  }
}

function statusOf(result: DockerfileAnalysis, rule: string) {
  return result.findings.find((f) => f.rule === rule)?.status;
}

describe("analyseDockerfile on bad input", () => {
  it("an empty or blank file is a parse error, with the rules n/a", () => {
    for (const text of ["", "   \n\n\t", "# only a comment\n"]) {
      const result = analyseDockerfile(text);
      expectWellFormed(result);
      expect(result.parseError).toMatch(/empty|no FROM/);
      expect(statusOf(result, "dockerfile-present")).toBe("pass");
      expect(statusOf(result, "distroless-final-stage")).toBe("n/a");
      expect(result.findings.find((f) => f.rule === "non-root-user")?.message).toContain("not checked");
    }
  });

  it("binary garbage is a parse error", () => {
    const garbage = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const result = analyseDockerfile(garbage);
    expectWellFormed(result);
    expect(result.parseError).toMatch(/not text/);
    expect(analyseDockerfile("\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008FROM x").parseError).toMatch(/not text/);
  });

  it("a 1 MB Dockerfile gives results", () => {
    const lines = ["FROM python:3.11 AS build"];
    for (let size = 0; size < 1_000_000; size += lines.at(-1)!.length + 1) lines.push(`RUN echo ${"x".repeat(80)} && pip install pkg${lines.length}`);
    lines.push("FROM gcr.io/distroless/python3-debian12", "USER 65532:65532", 'CMD ["app"]');
    const result = analyseDockerfile(lines.join("\n"));
    expectWellFormed(result);
    expect(result.parseError).toBeNull();
    expect(statusOf(result, "distroless-final-stage")).toBe("pass");
    expect(statusOf(result, "non-root-user")).toBe("pass");
  });

  it("more than the size limit is refused without parsing", () => {
    const result = analyseDockerfile(`FROM scratch\n${"#".repeat(MAX_DOCKERFILE_BYTES)}`);
    expect(result.parseError).toMatch(/too large/);
  });

  it("refuses, with the line and BuildKit's reason, what BuildKit refuses; every rule is then not checked", () => {
    const refused: [string[], string][] = [
      [["FROM gcr.io/distroless/static", "FROBNICATE now", "USER 65532:65532"], "line 2: unknown instruction: FROBNICATE"],
      [["FROM scratch", "COPY app"], "line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"],
      [["FROM scratch", "COPY "], "line 2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"],
      [["FROM scratch", "ENV A=1 \\", "RUN echo hi"], 'line 2: syntax error: can\'t find = in "RUN"; ENV must be of the form name=value (did a trailing \\ join the next line to it?)'],
      [["FROM scratch", "LABEL a=b \\", "USER 65532"], 'line 2: syntax error: can\'t find = in "USER"; LABEL must be of the form name=value (did a trailing \\ join the next line to it?)'],
      [["FROM scratch", "ENV A"], "line 2: ENV must have two arguments (NAME value), or be written NAME=value"],
      [["FROM debian AS build", "FROM gcr.io/distroless/static", "RUN <<EOF", "apt-get install -y gcc", "USER 65532"], 'line 3: unterminated heredoc: no line "EOF" ends the heredoc opened here'],
      [["FROM scratch", "USER"], "line 2: USER requires at least one argument"],
      [["# escape=`", "# escape=\\\\", "FROM scratch"], "line 2: only one escape parser directive can be used"],
      [["FROM python:3.11 build"], "line 1: FROM requires either one or three arguments"],
      [["FROM python:3.11 AS 1build"], 'line 1: invalid stage name "1build": it must start with a letter and hold only letters, digits, -, _ and .'],
      [["FROM scratch", "HEALTHCHECK curl localhost"], 'line 2: unknown type "curl" in HEALTHCHECK (try CMD)'],
      [["# escape=x", "FROM scratch"], "line 1: invalid escape token 'x' (it must be ` or \\)"],
    ];
    for (const [lines, error] of refused) {
      const result = analyseDockerfile(lines.join("\n"));
      expectWellFormed(result);
      expect(result.parseError, lines.join(" | ")).toBe(error);
      expect(result.findings.filter((f) => f.rule !== "dockerfile-present").every((f) => f.status === "n/a")).toBe(true);
    }
  });

  it("never reads a heredoc's body as instructions: COPY and RUN, quoted, <<-, several in one instruction", () => {
    const text = [
      "FROM python:3.11 AS build",
      "FROM gcr.io/distroless/python3:nonroot",
      "COPY <<'PY' /app/main.py",
      "from os import environ",
      "user = environ['USER']",
      "PY",
      "COPY <<-EOF <<EOF2 /etc/app/",
      "\tUSER root",
      "\tEOF",
      "FROM evil",
      "EOF2",
      'CMD ["/app/main.py"]',
    ].join("\n");
    const result = analyseDockerfile(text);
    expect(result.parseError).toBeNull();
    expect(result.facts?.stages.map((s) => s.from)).toEqual(["python:3.11", "gcr.io/distroless/python3:nonroot"]);
    expect(result.facts?.user).toEqual({ value: "65532:65532", source: "base image default", line: null });
    expect(statusOf(result, "non-root-user")).toBe("pass");
  });

  it("says plainly why a line after << EOF (with a space, not a heredoc for BuildKit) is refused", () => {
    const result = analyseDockerfile(["FROM scratch", "COPY << 'EOF' /app/x.py", "from x import y", "EOF"].join("\n"));
    expect(result.parseError).toBe(
      `line 3: when FROM has three arguments the second must be AS, not "import" (line 2's << 'EOF' is not a heredoc for BuildKit: the delimiter must follow << directly (<<'EOF'), so the lines after it are read as instructions)`,
    );
    // A << in a shell expression is not a heredoc either, and nothing is wrong with it.
    expect(analyseDockerfile(["FROM debian", "RUN echo $((1 << 4))", "USER 1"].join("\n")).parseError).toBeNull();
  });

  it("accepts what BuildKit accepts: continued lines keep their leading space, one-argument-rest instructions, JSON forms", () => {
    const accepted: string[][] = [
      ["FROM alpine\\", "  AS build", "FROM scratch", "COPY --from=build /a /b"],
      ["FROM scratch", "COPY --from=x\\", "  /a /b"],
      ["FROM scratch", "HEALTHCHECK --interval=5m\\", "  CMD [\"/app\", \"health\"]"],
      ["FROM debian", "RUN cat\\", "  <<EOF", "FOO bar", "EOF"],
      ["FROM scratch", "WORKDIR /my dir", "USER app staff", "STOPSIGNAL SIGTERM now"],
      ["FROM scratch", 'COPY ["a","/b"]', 'ADD ["a","/b"]'],
      ["FROM scratch", "ONBUILD FOO bar", "ONBUILD RUN <<EOF", "echo hi", "EOF"],
      ["FROM scratch", 'SHELL ["/bin/sh","-c"] # note'],
      ["# author=me", "# escape=`", "FROM debian", "RUN echo \\", "  hi"],
    ];
    for (const lines of accepted) expect(analyseDockerfile(lines.join("\n")).parseError, lines.join(" | ")).toBeNull();
    // An indented directive is a directive; a lone \r stays inside its line.
    expect(analyseDockerfile(" # escape=`\nFROM scratch\nUSER `\n  65532\n").findings.find((f) => f.rule === "non-root-user")?.status).toBe("pass");
    expect(analyseDockerfile("FROM scratch\nLABEL a=\"x\ry\"\nUSER 1\n").parseError).toBeNull();
  });

  it("does not take an escaped escape at the end of a line as a continuation", () => {
    const result = analyseDockerfile(["FROM gcr.io/distroless/static", "RUN echo C:\\\\", "USER 65532:65532"].join("\n"));
    expect(result.findings.find((f) => f.rule === "non-root-user")).toMatchObject({ status: "pass", line: 3 });
  });

  it("a FROM naming a stage that does not exist is taken as an image, as BuildKit does", () => {
    const result = analyseDockerfile(["FROM gcr.io/distroless/static AS base", "FROM builder", "USER 1"].join("\n"));
    expectWellFormed(result);
    expect(result.parseError).toBeNull();
    expect(result.findings.find((f) => f.rule === "distroless-final-stage")).toMatchObject({ status: "fail", line: 2 });
    expect(statusOf(result, "pinned-base")).toBe("fail");
  });

  it("no FROM, an instruction before FROM, or a FROM without an image is a parse error naming the line", () => {
    expect(analyseDockerfile("RUN echo hi\n").parseError).toBe("the Dockerfile has no FROM instruction");
    expect(analyseDockerfile("ARG A=1\nRUN echo\nFROM scratch\n").parseError).toBe("line 2: RUN before the first FROM (only ARG may come before FROM)");
    expect(analyseDockerfile("FROM scratch\nFROM\n").parseError).toBe("line 2: FROM requires either one or three arguments");
  });

  it("honours the escape directive and CRLF line endings", () => {
    const text = ["# escape=`", "FROM python:3.11 AS build", "FROM gcr.io/distroless/static", "USER `", "  65532:65532", 'CMD ["app"]'].join("\r\n");
    const result = analyseDockerfile(text);
    expect(result.parseError).toBeNull();
    expect(result.findings.find((f) => f.rule === "non-root-user")).toMatchObject({ status: "pass", line: 4, excerpt: "USER `\n  65532:65532" });
  });

  it("a byte-order mark and lowercase instructions are fine", () => {
    const result = analyseDockerfile("\uFEFFfrom gcr.io/distroless/static as Final\nuser 65532:65532\n");
    expect(result.parseError).toBeNull();
    expect(statusOf(result, "non-root-user")).toBe("pass");
  });
});

describe("huge Dockerfiles", () => {
  it("names at most 20 lines in a finding, with how many more, whatever the file's size", () => {
    const runs = Array.from({ length: 5000 }, (_, i) => `RUN echo step-${i}`);
    const { findings } = analyseDockerfile(["FROM gcr.io/distroless/static:nonroot", ...runs].join("\n"));
    const execForm = findings.find((f) => f.rule === "exec-form")!;
    expect(execForm.status).toBe("fail");
    expect(execForm.message).toContain("lines 2, 3, 4");
    expect(execForm.message).toContain("and 4,980 more");
    expect(execForm.message.length).toBeLessThan(400);
    const secrets = analyseDockerfile(["FROM python:3.11", ...Array.from({ length: 3000 }, (_, i) => `ENV API_TOKEN_${i}=literal${i}`)].join("\n")).findings.find((f) => f.rule === "no-secrets-in-env")!;
    expect(secrets.message).toContain("and 2,980 more");
    expect(secrets.message.length).toBeLessThan(2000);
  });
});
