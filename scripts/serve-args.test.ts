import { describe, expect, it } from "vitest";
// @ts-expect-error plain ES module without types (scripts/ runs under node directly)
import { nextStartArgs } from "./serve-args.mjs";

describe("nextStartArgs", () => {
  it("binds to HOSTNAME and PORT from the environment, and the command line wins", () => {
    expect(nextStartArgs([], { HOSTNAME: "127.0.0.1", PORT: "8080" })).toEqual(["start", "--hostname", "127.0.0.1", "--port", "8080"]);
    expect(nextStartArgs(["--hostname", "::1"], { HOSTNAME: "127.0.0.1" })).toEqual(["start", "--hostname", "::1"]);
    expect(nextStartArgs(["-p", "9000"], { PORT: "8080" })).toEqual(["start", "-p", "9000"]);
    expect(nextStartArgs([], {})).toEqual(["start"]);
    expect(nextStartArgs([], { HOSTNAME: "::1" })).toEqual(["start", "--hostname", "::1"]);
    // A container's own name (Docker, Kubernetes) is not an interface to bind to.
    expect(nextStartArgs([], { HOSTNAME: "3f9c2a1b7d4e" })).toEqual(["start"]);
    expect(nextStartArgs([], { HOSTNAME: "lucid-dashboard-5d8f9-abcde" })).toEqual(["start"]);
  });
});
