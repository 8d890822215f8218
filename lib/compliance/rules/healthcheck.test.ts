import { describe, expect, it } from "vitest";
import { healthcheck } from "@/lib/compliance/rules/healthcheck";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("healthcheck", () => {
  it("passes a HEALTHCHECK CMD in exec or shell form, flags and all", () => {
    const verdict = check(healthcheck, ["FROM scratch", 'HEALTHCHECK --interval=30s --timeout=3s CMD ["/healthcheck", "--port", "8080"]']);
    expect(verdict).toMatchObject({ status: "pass", line: 2 });
    expect(verdict.message).toContain("/healthcheck --port 8080");
    expect(statusOf(healthcheck, ["FROM alpine", "HEALTHCHECK CMD wget -q -O- http://localhost:8080/health || exit 1"])).toBe("pass");
  });

  it("reads a HEALTHCHECK continued over several lines", () => {
    expect(check(healthcheck, ["FROM scratch", "HEALTHCHECK --interval=30s \\", '  CMD ["/probe"]']).excerpt).toBe('HEALTHCHECK --interval=30s \\\n  CMD ["/probe"]');
  });

  it("fails no HEALTHCHECK, and HEALTHCHECK NONE", () => {
    expect(statusOf(healthcheck, ["FROM scratch"])).toBe("fail");
    expect(statusOf(healthcheck, ["FROM scratch", 'HEALTHCHECK CMD ["/probe"]', "HEALTHCHECK NONE"])).toBe("fail");
    expect(statusOf(healthcheck, ["FROM scratch", "HEALTHCHECK none"])).toBe("fail");
  });

  it("inherits the health check of the local stage built FROM, and not of others", () => {
    expect(statusOf(healthcheck, ["FROM scratch AS base", 'HEALTHCHECK CMD ["/probe"]', "FROM base"])).toBe("pass");
    expect(statusOf(healthcheck, ["FROM scratch AS base", 'HEALTHCHECK CMD ["/probe"]', "FROM scratch"])).toBe("fail");
    expect(statusOf(healthcheck, ["FROM scratch AS base", 'HEALTHCHECK CMD ["/probe"]', "FROM base", "HEALTHCHECK NONE"])).toBe("fail");
  });

  it("warns on a health check that cannot fail", () => {
    expect(statusOf(healthcheck, ["FROM scratch", 'HEALTHCHECK CMD ["/opt/venv/bin/python", "-c", "import sys; sys.exit(0)"]'])).toBe("warn");
    expect(statusOf(healthcheck, ["FROM alpine", "HEALTHCHECK CMD true"])).toBe("warn");
    expect(statusOf(healthcheck, ["FROM alpine", "HEALTHCHECK CMD exit 0"])).toBe("warn");
  });
});
