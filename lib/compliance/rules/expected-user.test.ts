import { describe, expect, it } from "vitest";
import { expectedUser } from "@/lib/compliance/rules/expected-user";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("expected-user", () => {
  it("passes the plan's user (65532:65532 by default)", () => {
    expect(check(expectedUser, ["FROM scratch", "USER 65532:65532"])).toMatchObject({ status: "pass", line: 2 });
    expect(statusOf(expectedUser, ["FROM scratch", "USER 1000:1000"], { expectedUser: "1000:1000" })).toBe("pass");
  });

  it("fails another user, a name for a number, and no USER", () => {
    expect(check(expectedUser, ["FROM scratch", "USER lucid:lucid"]).message).toContain("the plan expects 65532:65532");
    expect(statusOf(expectedUser, ["FROM scratch", "USER 65532:0"])).toBe("fail");
    expect(statusOf(expectedUser, ["FROM scratch", "USER nonroot:nonroot"])).toBe("fail");
    expect(statusOf(expectedUser, ["FROM scratch"])).toBe("fail");
  });

  it("warns on 65532 alone against 65532:65532: the group would come from /etc/passwd", () => {
    const verdict = check(expectedUser, ["FROM scratch", "USER 65532"]);
    expect(verdict.status).toBe("warn");
    expect(verdict.message).toContain("names no group");
  });

  it("accepts any group when the plan expects a bare uid", () => {
    expect(statusOf(expectedUser, ["FROM scratch", "USER 65532:65532"], { expectedUser: "65532" })).toBe("pass");
    expect(statusOf(expectedUser, ["FROM scratch", "USER 65532"], { expectedUser: "65532" })).toBe("pass");
  });

  it("follows the USER inherited from a local parent stage", () => {
    expect(statusOf(expectedUser, ["FROM scratch AS base", "USER 65532:65532", "FROM base"])).toBe("pass");
  });
});

describe("expected-user on distroless", () => {
  it("counts nonroot, nonroot:nonroot and a nonroot tag without USER as 65532:65532", () => {
    expect(statusOf(expectedUser, ["FROM gcr.io/distroless/static", "USER nonroot"])).toBe("pass");
    expect(statusOf(expectedUser, ["FROM gcr.io/distroless/static", "USER nonroot:nonroot"])).toBe("pass");
    expect(check(expectedUser, ["FROM gcr.io/distroless/static:debug-nonroot"])).toMatchObject({ status: "pass", message: expect.stringContaining("runs as 65532:65532 by default") });
    expect(check(expectedUser, ["FROM gcr.io/distroless/static:latest"])).toMatchObject({ status: "fail", message: expect.stringContaining("runs as 0:0 by default") });
  });

  it("leaves named accounts elsewhere non-root but not the expected user", () => {
    expect(statusOf(expectedUser, ["FROM python:3.11-slim", "USER nonroot"])).toBe("fail");
    expect(statusOf(expectedUser, ["FROM gcr.io/distroless/static", "USER app"])).toBe("fail");
  });
});
