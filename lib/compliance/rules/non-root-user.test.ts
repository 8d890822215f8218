import { describe, expect, it } from "vitest";
import { nonRootUser } from "@/lib/compliance/rules/non-root-user";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("non-root-user", () => {
  it("passes a numeric or named non-root user", () => {
    expect(check(nonRootUser, ["FROM scratch", "USER 65532:65532"])).toMatchObject({ status: "pass", line: 2, excerpt: "USER 65532:65532" });
    expect(statusOf(nonRootUser, ["FROM scratch", "USER nonroot"])).toBe("pass");
    expect(statusOf(nonRootUser, ["FROM scratch", "USER 1000:0"])).toBe("pass");
  });

  it("fails unset, root, 0 and 0:0", () => {
    expect(check(nonRootUser, ["FROM gcr.io/distroless/static"])).toMatchObject({ status: "fail", line: 1 });
    for (const user of ["root", "0", "0:0", "root:root", "00"]) {
      expect(statusOf(nonRootUser, ["FROM scratch", `USER ${user}`]), user).toBe("fail");
    }
  });

  it("takes the last USER of the final stage", () => {
    expect(statusOf(nonRootUser, ["FROM scratch", "USER 65532", "USER root"])).toBe("fail");
    expect(statusOf(nonRootUser, ["FROM scratch", "USER root", "RUN x", "USER 65532"])).toBe("pass");
  });

  it("inherits USER from the local stage it builds FROM, not from other stages", () => {
    expect(check(nonRootUser, ["FROM debian AS base", "USER 65532", "FROM base", "CMD [\"x\"]"])).toMatchObject({ status: "pass", line: 2 });
    expect(statusOf(nonRootUser, ["FROM debian AS build", "USER 65532", "FROM scratch"])).toBe("fail");
  });

  it("substitutes ARG and ENV in USER, and warns when it cannot", () => {
    expect(statusOf(nonRootUser, ["FROM scratch", "ARG UID=65532", "USER ${UID}"])).toBe("pass");
    expect(statusOf(nonRootUser, ["FROM scratch", "ENV UID=0", "USER $UID"])).toBe("fail");
    expect(statusOf(nonRootUser, ["FROM debian AS base", "ENV APP_UID=1001", "FROM base", "USER $APP_UID"])).toBe("pass");
    expect(statusOf(nonRootUser, ["FROM scratch", "ARG UID", "USER ${UID}"])).toBe("warn");
  });
});

describe("non-root-user on distroless", () => {
  it("knows the nonroot tags run as 65532 without a USER, and every other tag as root", () => {
    for (const image of ["gcr.io/distroless/static:nonroot", "gcr.io/distroless/python3-debian12:debug-nonroot", "gcr.io/distroless/base:nonroot-amd64", `gcr.io/distroless/static:nonroot@sha256:${"a".repeat(64)}`]) {
      expect(check(nonRootUser, [`FROM ${image}`]), image).toMatchObject({ status: "pass", message: expect.stringContaining("65532:65532") });
    }
    for (const image of ["gcr.io/distroless/static", "gcr.io/distroless/static:latest", "gcr.io/distroless/python3:debug"]) {
      expect(check(nonRootUser, [`FROM ${image}`]), image).toMatchObject({ status: "fail", message: expect.stringContaining("runs as root by default") });
    }
    // Pinned by digest alone: the tag that would say is not written, so the usual "no USER" failure.
    expect(check(nonRootUser, [`FROM gcr.io/distroless/static@sha256:${"b".repeat(64)}`]).message).toContain("no USER in the final stage");
  });

  it("follows ARGs and stage aliases to the distroless base, and maps its account names to ids", () => {
    expect(statusOf(nonRootUser, ["ARG BASE=gcr.io/distroless/static:nonroot", "FROM ${BASE} AS runtime", "FROM runtime"])).toBe("pass");
    expect(check(nonRootUser, ["FROM gcr.io/distroless/static", "USER nonroot"])).toMatchObject({ status: "pass", message: expect.stringContaining("65532:65532") });
    expect(statusOf(nonRootUser, ["FROM gcr.io/distroless/static:nonroot", "USER root"])).toBe("fail");
  });
});
