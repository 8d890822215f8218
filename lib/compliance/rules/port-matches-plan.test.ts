import { describe, expect, it } from "vitest";
import { portMatchesPlan } from "@/lib/compliance/rules/port-matches-plan";
import { check, statusOf } from "@/lib/compliance/rules/testing";

describe("port-matches-plan", () => {
  it("is n/a when the plan has no port", () => {
    expect(statusOf(portMatchesPlan, ["FROM scratch", "EXPOSE 8080"])).toBe("n/a");
  });

  it("passes when EXPOSE includes the plan's port and the health check probes it", () => {
    const lines = ["FROM scratch", "EXPOSE 8080/tcp 9090", 'HEALTHCHECK CMD ["/probe", "http://localhost:8080/health"]'];
    expect(check(portMatchesPlan, lines, { port: 8080 })).toMatchObject({ status: "pass", line: 2 });
    expect(check(portMatchesPlan, lines, { port: 8080 }).excerpt).toBe(`EXPOSE 8080/tcp 9090\n${lines[2]}`);
    expect(statusOf(portMatchesPlan, ["FROM scratch", "EXPOSE 8000-8100"], { port: 8090 })).toBe("pass");
  });

  it("fails when EXPOSE does not include the plan's port, or there is no EXPOSE", () => {
    const verdict = check(portMatchesPlan, ["FROM scratch", "EXPOSE 8113"], { port: 8090 });
    expect(verdict).toMatchObject({ status: "fail", line: 2 });
    expect(verdict.message).toBe("the final image EXPOSEs 8113, but the plan's port is 8090");
    expect(check(portMatchesPlan, ["FROM scratch"], { port: 8090 }).message).toContain("EXPOSEs no port");
  });

  it("fails when the health check names another port", () => {
    const lines = ["FROM scratch", "EXPOSE 8090", "HEALTHCHECK CMD [\"python3\", \"-c\", \"import socket; socket.create_connection(('127.0.0.1', 8113))\"]"];
    expect(check(portMatchesPlan, lines, { port: 8090 })).toMatchObject({ status: "fail", line: 3 });
  });

  it("passes a health check that names no port number", () => {
    const lines = ["FROM scratch", "EXPOSE 8081", "HEALTHCHECK CMD [\"python3\", \"-c\", \"url = 'http://127.0.0.1:' + str(port)\"]"];
    expect(check(portMatchesPlan, lines, { port: 8081 }).message).toContain("names no port number");
  });

  it("substitutes variables in EXPOSE and in shell-form health checks", () => {
    expect(statusOf(portMatchesPlan, ["FROM scratch", "ENV PORT=8090", "EXPOSE ${PORT}"], { port: 8090 })).toBe("pass");
    expect(statusOf(portMatchesPlan, ["FROM alpine", "ENV PORT=8113", "EXPOSE 8090", "HEALTHCHECK CMD wget -qO- http://localhost:$PORT/health"], { port: 8090 })).toBe("fail");
    expect(statusOf(portMatchesPlan, ["FROM alpine AS base", "ENV PORT=8090", "FROM base", "EXPOSE $PORT"], { port: 8090 })).toBe("pass");
  });

  it("only looks at the final image's stages", () => {
    expect(statusOf(portMatchesPlan, ["FROM alpine AS build", "EXPOSE 8090", "FROM scratch", "EXPOSE 9000"], { port: 8090 })).toBe("fail");
  });
});
