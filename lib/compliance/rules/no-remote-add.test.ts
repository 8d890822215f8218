import { describe, expect, it } from "vitest";
import { noRemoteAdd } from "@/lib/compliance/rules/no-remote-add";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("no-remote-add", () => {
  it("passes local ADD, COPY of URLs-looking names, and ADD --checksum", () => {
    expect(statusOf(noRemoteAdd, ["FROM scratch", "ADD app.tar.gz /app/"])).toBe("pass");
    expect(statusOf(noRemoteAdd, ["FROM scratch", "COPY http-server.conf /etc/"])).toBe("pass");
    expect(statusOf(noRemoteAdd, ["FROM scratch", `ADD --checksum=sha256:${"0".repeat(64)} https://example.com/a.tgz /a.tgz`])).toBe("pass");
  });

  it("fails ADD of an http(s) or git URL in any stage", () => {
    const verdict = check(noRemoteAdd, ["FROM alpine AS build", "ADD --chown=1:1 https://example.com/tool.tgz /tmp/", "FROM scratch"]);
    expect(verdict).toMatchObject({ status: "fail", line: 2 });
    expect(verdict.message).toContain("https://example.com/tool.tgz");
    expect(statusOf(noRemoteAdd, ["FROM scratch", 'ADD ["http://example.com/x", "/x"]'])).toBe("fail");
    expect(statusOf(noRemoteAdd, ["FROM scratch", "ADD git@github.com:org/repo.git /src"])).toBe("fail");
  });
});
