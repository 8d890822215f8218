import { describe, expect, it } from "vitest";
import { multiStage } from "@/lib/compliance/rules/multi-stage";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("multi-stage", () => {
  it("passes a multi-stage build whose final stage only copies", () => {
    expect(statusOf(multiStage, ["FROM python:3.11 AS build", "RUN pip install -r requirements.txt", "FROM gcr.io/distroless/python3", "COPY --from=build /app /app"])).toBe("pass");
  });

  it("fails a single stage", () => {
    expect(check(multiStage, ["FROM python:3.11", "RUN pip install flask"])).toMatchObject({ status: "fail", line: 1 });
  });

  it("warns when the final stage installs or runs build tools, naming them and their lines", () => {
    const verdict = check(multiStage, ["FROM python:3.11 AS build", "FROM debian:12", "COPY --from=build /app /app", "RUN apt-get update && apt-get install -y gcc", "RUN make all"]);
    expect(verdict).toMatchObject({ status: "warn", line: 4 });
    expect(verdict.message).toBe("the final stage still installs or runs build tools: apt-get install gcc (line 4); make (line 5)");
    expect(verdict.excerpt).toBe("RUN apt-get update && apt-get install -y gcc\nRUN make all");
  });

  it("recognises the usual installers and compilers in shell, exec and sh -c form", () => {
    const warns = (run: string) => statusOf(multiStage, ["FROM a AS build", "FROM b", "COPY --from=build /app /app", run]);
    for (const run of [
      "RUN pip3 install flask",
      "RUN /opt/venv/bin/pip install -r r.txt",
      "RUN python3.11 -m pip install --user x",
      "RUN npm ci --omit=dev",
      "RUN apk add --no-cache build-base",
      "RUN dnf -y install gcc",
      'RUN ["pip", "install", "x"]',
      'RUN ["/bin/sh", "-c", "npm install"]',
      "RUN set -eux; if true; then gcc -o x x.c; fi",
      "RUN DEBIAN_FRONTEND=noninteractive apt-get install -y libpq-dev",
      "RUN --mount=type=cache,target=/root/.cache pip install x",
    ]) {
      expect(warns(run), run).toBe("warn");
    }
  });

  it("does not mistake words in strings, comments or other commands for build tools", () => {
    for (const run of [
      'RUN echo "run pip install yourself"',
      'RUN ["/usr/bin/python3", "-c", "import os; print(\'make sure gcc is absent\')"]',
      "RUN apt-get remove -y gcc && rm -rf /var/lib/apt/lists/*",
      "RUN mkdir -p /app # then pip install",
    ]) {
      expect(statusOf(multiStage, ["FROM a AS build", "FROM b", "COPY --from=build /app /app", run]), run).toBe("pass");
    }
  });

  it("reads heredocs: a shell body counts, another interpreter's body does not", () => {
    const copy = "COPY --from=build /app /app";
    expect(statusOf(multiStage, ["FROM a AS build", "FROM b", copy, "RUN <<EOT", "apt-get install -y gcc", "EOT"])).toBe("warn");
    expect(statusOf(multiStage, ["FROM a AS build", "FROM b", copy, "RUN bash <<'EOT'", "set -e", "pip install x", "EOT"])).toBe("warn");
    expect(statusOf(multiStage, ["FROM a AS build", "FROM b", copy, "RUN python3 <<'PY'", "import subprocess", "subprocess.run(['gcc'])", "make = 1", "PY"])).toBe("pass");
  });

  it("counts tools installed in a local stage that the final stage builds FROM", () => {
    expect(statusOf(multiStage, ["FROM debian AS build", "RUN make", "FROM debian AS base", "RUN apt-get install -y gcc", "FROM base", "COPY --from=build /x /x"])).toBe("warn");
    expect(statusOf(multiStage, ["FROM debian AS build", "RUN apt-get install -y gcc", "FROM scratch", "COPY --from=build /x /x"])).toBe("pass");
  });

  it("fails stages the final image takes nothing from: they build nothing for it", () => {
    expect(check(multiStage, ["FROM debian AS build", "RUN make", "FROM scratch", "COPY app /app"])).toMatchObject({ status: "fail", line: 3, message: expect.stringContaining("copies nothing from an earlier one") });
    expect(statusOf(multiStage, ["FROM debian AS base", "RUN apt-get install -y gcc", "FROM base"])).toBe("fail");
    // From another image is not from a stage; by index is.
    expect(statusOf(multiStage, ["FROM debian AS build", "FROM scratch", "COPY --from=nginx:1.27 /etc/nginx /etc/nginx"])).toBe("fail");
    expect(statusOf(multiStage, ["FROM debian", "RUN make", "FROM scratch", "COPY --from=0 /app /app"])).toBe("pass");
  });

  it("does not count installing runtime OS packages as build tooling", () => {
    const base = ["FROM python:3.11 AS build", "FROM python:3.11-slim", "COPY --from=build /app /app"];
    expect(statusOf(multiStage, [...base, "RUN apt-get update && apt-get install -y --no-install-recommends xrdp tini ca-certificates"])).toBe("pass");
    expect(statusOf(multiStage, [...base, "RUN apk add --no-cache tini"])).toBe("pass");
    expect(statusOf(multiStage, [...base, "RUN apt-get install -y build-essential"])).toBe("warn");
  });
});
