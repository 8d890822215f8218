import { describe, expect, it } from "vitest";
import { execForm } from "@/lib/compliance/rules/exec-form";
import { check, statusOf } from "@/lib/compliance/rules/testing";

const DISTROLESS = "FROM gcr.io/distroless/python3-debian12";

describe("exec-form", () => {
  it("passes a distroless final stage with exec-form CMD, ENTRYPOINT and HEALTHCHECK", () => {
    const lines = [DISTROLESS, 'ENTRYPOINT ["/usr/bin/tini", "--"]', 'CMD ["python3", "app.py"]', 'HEALTHCHECK --interval=5s CMD ["python3", "probe.py"]', "HEALTHCHECK NONE"];
    expect(statusOf(execForm, lines)).toBe("pass");
    expect(statusOf(execForm, [DISTROLESS, "ENTRYPOINT []", 'CMD ["x"]'])).toBe("pass");
  });

  it("fails shell-form RUN, CMD, ENTRYPOINT and HEALTHCHECK on distroless or scratch", () => {
    expect(check(execForm, [DISTROLESS, "RUN apt-get update"])).toMatchObject({ status: "fail", line: 2, excerpt: "RUN apt-get update" });
    expect(statusOf(execForm, [DISTROLESS, "CMD python3 app.py"])).toBe("fail");
    expect(statusOf(execForm, ["FROM scratch", "ENTRYPOINT /app"])).toBe("fail");
    expect(statusOf(execForm, [DISTROLESS, "HEALTHCHECK CMD curl -f http://localhost/ || exit 1"])).toBe("fail");
    expect(statusOf(execForm, [DISTROLESS, "RUN <<EOT", "echo hi", "EOT"])).toBe("fail");
    expect(statusOf(execForm, [DISTROLESS, 'CMD [ "not json ]'])).toBe("fail");
  });

  it("groups the problems by kind, with their lines", () => {
    const verdict = check(execForm, [DISTROLESS, "RUN a", "RUN b", "CMD c"]);
    expect(verdict.message).toContain("RUN in shell form (lines 2, 3); CMD in shell form (line 4)");
  });

  it("warns on exec-form RUN: it runs without a shell but adds a layer", () => {
    expect(check(execForm, [DISTROLESS, 'RUN ["/usr/bin/python3", "-c", "print(1)"]', 'CMD ["x"]'])).toMatchObject({ status: "warn", line: 2 });
  });

  it("looks at the effective CMD inherited from a local parent stage", () => {
    expect(statusOf(execForm, [`${DISTROLESS} AS base`, "CMD python3 app.py", "FROM base"])).toBe("fail");
    expect(statusOf(execForm, [`${DISTROLESS} AS base`, "CMD python3 app.py", "FROM base", 'CMD ["python3", "app.py"]'])).toBe("pass");
  });

  it("is n/a when the final stage is not distroless", () => {
    expect(statusOf(execForm, ["FROM python:3.11-slim", "RUN pip install x", "CMD python app.py"])).toBe("n/a");
  });
});
