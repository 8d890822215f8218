import { describe, expect, it } from "vitest";
import { judgeResponse } from "@/lib/health/judge";

const answer = (status: number, body: unknown, truncated = false) => ({
  status,
  statusText: status === 200 ? "OK" : "Service Unavailable",
  body: Buffer.from(typeof body === "string" ? body : JSON.stringify(body)),
  truncated,
});
const judge = (status: number, body: unknown) => judgeResponse(answer(status, body), null);

describe("judging a health answer without any setting", () => {
  it.each([
    // Lucid's services
    ["Lucid healthy", 200, { status: "healthy", services: { mongodb: "up" } }, "up", null],
    ["Lucid degraded", 200, { status: "degraded", services: { redis: "degraded", mongodb: "up" } }, "degraded", 'status "degraded"; degraded: redis'],
    ["Lucid unhealthy", 200, { status: "unhealthy", services: { mongodb: "down" } }, "down", 'status "unhealthy"; down: mongodb'],
    // Spring Boot Actuator
    ["Actuator UP", 200, { status: "UP", components: { db: { status: "UP" } } }, "up", null],
    ["Actuator DOWN", 200, { status: "DOWN", components: { db: { status: "DOWN" }, diskSpace: { status: "UP" } } }, "down", 'status "DOWN"; down: db'],
    ["Actuator OUT_OF_SERVICE", 200, { status: "OUT_OF_SERVICE" }, "down", 'status "OUT_OF_SERVICE"'],
    // IETF application/health+json
    ["health+json pass", 200, { status: "pass", checks: { "db:responseTime": [{ status: "pass" }] } }, "up", null],
    ["health+json warn", 200, { status: "warn", checks: { "db:responseTime": [{ status: "warn" }, { status: "pass" }] } }, "degraded", 'status "warn"; degraded: db'],
    ["health+json fail", 200, { status: "fail", checks: { "cassandra:connections": [{ status: "fail" }] } }, "down", 'status "fail"; down: cassandra'],
    // ASP.NET Core, JSON and plain text
    ["ASP.NET JSON", 200, { status: "Unhealthy", entries: { sql: { status: "Unhealthy" }, cache: { status: "Degraded" } } }, "down", 'status "Unhealthy"; down: sql; degraded: cache'],
    ["ASP.NET text Healthy", 200, "Healthy", "up", null],
    ["ASP.NET text Degraded", 200, "Degraded", "degraded", 'status "Degraded"'],
    ["ASP.NET text Unhealthy", 200, "Unhealthy", "down", 'status "Unhealthy"'],
    // MicroProfile Health
    ["MicroProfile DOWN", 200, { status: "DOWN", checks: [{ name: "database", status: "DOWN" }, { name: "disk", status: "UP" }] }, "down", 'status "DOWN"; down: database'],
    // Kubernetes-style
    ["plain ok", 200, "ok", "up", null],
    // No status word: the HTTP status decides
    ["no status word", 200, { uptime: 12, version: "1.2" }, "up", null],
    ["not JSON, not a word", 200, "<html>fine</html>", "up", null],
    ["no word but a down dependency", 200, { services: { mongodb: "down" } }, "up", null],
    // A non-2xx is down whatever the body says, with the dependencies named when it gives them
    ["503 saying healthy", 503, { status: "healthy" }, "down", "HTTP 503 Service Unavailable"],
    ["503 naming a dependency", 503, { status: "DOWN", components: { db: { status: "DOWN" } } }, "down", "HTTP 503 Service Unavailable; down: db"],
  ] as const)("%s", (_name, status, body, outcome, error) => {
    expect(judge(status, body)).toEqual({ outcome, error });
  });

  it("finds nothing in words that name JavaScript's own object members", () => {
    for (const body of ["constructor", "__proto__", { status: "constructor" }, { status: "__proto__" }, { status: "toString" }, { status: "ok", services: { hasOwnProperty: "constructor" } }]) {
      expect(judge(200, body)).toEqual({ outcome: "up", error: null });
    }
  });

  it("reads status words in any case and with dashes", () => {
    expect(judge(200, { status: "Out-Of-Service" }).outcome).toBe("down");
    expect(judge(200, { status: "WARNING" }).outcome).toBe("degraded");
  });

  it("judges a body too large to read in full by its HTTP status alone", () => {
    expect(judgeResponse(answer(200, '{"status":"unhea', true), null)).toEqual({ outcome: "up", error: null });
  });

  it("lets an admin's expectation override the body's word", () => {
    const expect_ = { field: "state", value: "green" };
    expect(judgeResponse(answer(200, { status: "unhealthy", state: "green" }), expect_)).toEqual({ outcome: "up", error: null });
    expect(judgeResponse(answer(200, { status: "healthy", state: "red" }), expect_).outcome).toBe("down");
  });
});
