import { describe, expect, it } from "vitest";
import { pinnedBase } from "@/lib/compliance/rules/pinned-base";
import { check, statusOf } from "@/lib/compliance/rules/testing";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("pinned-base", () => {
  it("passes bases pinned by digest, and ignores scratch and local stages", () => {
    expect(statusOf(pinnedBase, [`FROM python:3.11@${DIGEST} AS build`, `FROM gcr.io/distroless/python3@${DIGEST}`])).toBe("pass");
    expect(statusOf(pinnedBase, [`FROM golang@${DIGEST} AS build`, "FROM build AS test", "FROM scratch"])).toBe("pass");
  });

  it("warns on a tag that is not latest", () => {
    expect(check(pinnedBase, [`FROM python:3.11-slim AS build`, `FROM gcr.io/distroless/python3@${DIGEST}`])).toMatchObject({ status: "warn", line: 1 });
  });

  it("fails :latest and no tag, pointing at the worst base", () => {
    const verdict = check(pinnedBase, ["FROM python:3.11 AS build", "FROM gcr.io/distroless/python3-debian12:latest"]);
    expect(verdict).toMatchObject({ status: "fail", line: 2, excerpt: "FROM gcr.io/distroless/python3-debian12:latest" });
    expect(verdict.message).toContain("python:3.11 is pinned to a tag only");
    expect(verdict.message).toContain("gcr.io/distroless/python3-debian12:latest uses :latest");
    expect(statusOf(pinnedBase, ["FROM ubuntu"])).toBe("fail");
    expect(statusOf(pinnedBase, ["FROM localhost:5000/app"])).toBe("fail");
  });

  it("resolves ARGs before judging", () => {
    expect(statusOf(pinnedBase, ["ARG PY=3.11", "FROM python:${PY}-slim"])).toBe("warn");
    expect(statusOf(pinnedBase, ["ARG TAG=latest", "FROM python:$TAG"])).toBe("fail");
    expect(statusOf(pinnedBase, [`ARG BASE=python@${DIGEST}`, "FROM ${BASE}"])).toBe("pass");
    expect(check(pinnedBase, ["ARG TAG", "FROM python:${TAG}"]).message).toContain("needs TAG");
  });

  it("fails a FROM that is not a valid reference, and explains a forward stage reference", () => {
    expect(statusOf(pinnedBase, ["FROM Python:3"])).toBe("fail");
    const forward = check(pinnedBase, ["FROM runtime AS app", "FROM gcr.io/distroless/static@" + DIGEST + " AS runtime", "FROM app"]);
    expect(forward.message).toContain("only defined later");
  });
});
