import { describe, expect, it } from "vitest";
import { distrolessFinalStage } from "@/lib/compliance/rules/distroless-final-stage";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("distroless-final-stage", () => {
  it("passes a distroless or scratch final stage", () => {
    expect(statusOf(distrolessFinalStage, ["FROM python:3.11 AS build", "FROM gcr.io/distroless/python3-debian12:nonroot"])).toBe("pass");
    expect(statusOf(distrolessFinalStage, ["FROM golang:1.22 AS build", "FROM scratch"])).toBe("pass");
    expect(statusOf(distrolessFinalStage, ["FROM SCRATCH"])).toBe("pass");
  });

  it("fails a final stage on a full distribution image, naming it and pointing at its FROM", () => {
    const verdict = check(distrolessFinalStage, ["FROM gcr.io/distroless/base AS base", "FROM python:3.11-slim", "USER 1"]);
    expect(verdict).toMatchObject({ status: "fail", line: 2, excerpt: "FROM python:3.11-slim" });
    expect(verdict.message).toContain("python:3.11-slim");
  });

  it("follows stage aliases, case-insensitively, down to the real base", () => {
    const lines = ["FROM debian:12 AS Base", "FROM base AS runtime", "RUN true", "FROM RUNTIME"];
    const verdict = check(distrolessFinalStage, lines);
    expect(verdict).toMatchObject({ status: "fail", line: 1 });
    expect(verdict.excerpt).toBe("FROM debian:12 AS Base\nFROM base AS runtime\nFROM RUNTIME");
    expect(statusOf(distrolessFinalStage, ["FROM gcr.io/distroless/static AS Base", "FROM base"])).toBe("pass");
  });

  it("resolves global ARGs, defaults and FROM --platform", () => {
    expect(statusOf(distrolessFinalStage, ["ARG BASE=gcr.io/distroless/static", "FROM --platform=$TARGETPLATFORM ${BASE}:nonroot"])).toBe("pass");
    expect(statusOf(distrolessFinalStage, ["ARG BASE=ubuntu", "FROM $BASE"])).toBe("fail");
    expect(statusOf(distrolessFinalStage, ["FROM ${BASE:-gcr.io/distroless/static}"])).toBe("pass");
    expect(check(distrolessFinalStage, ["ARG BASE", "FROM ${BASE}"]).status).toBe("warn");
  });

  it("does not let a stage defined later stand in for a base", () => {
    const verdict = check(distrolessFinalStage, ["FROM runtime", "FROM gcr.io/distroless/static AS runtime"]);
    expect(verdict.status).toBe("pass"); // the final stage is the second one
    const backward = check(distrolessFinalStage, ["FROM gcr.io/distroless/static AS other", "FROM runtime", "FROM alpine AS runtime", "FROM runtime"]);
    expect(backward.status).toBe("fail");
    expect(backward.message).toContain("alpine");
    const forward = check(distrolessFinalStage, ["FROM runtime AS app", "FROM gcr.io/distroless/static AS runtime", "FROM app"]);
    expect(forward).toMatchObject({ status: "fail", line: 1 });
    expect(forward.message).toContain("only defined later, at line 2");
  });

  it("uses the configured allowed bases; an entry without a slash names one image", () => {
    expect(statusOf(distrolessFinalStage, ["FROM cgr.dev/chainguard/python:latest"], {}, { allowedBases: ["cgr.dev/chainguard/"] })).toBe("pass");
    expect(statusOf(distrolessFinalStage, ["FROM scratchy"])).toBe("fail");
    expect(statusOf(distrolessFinalStage, ["FROM gcr.io/distroless-fake/x"])).toBe("fail");
  });
});
