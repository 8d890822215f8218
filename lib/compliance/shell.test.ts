import { describe, expect, it } from "vitest";
import { execFormArgs } from "@/lib/compliance/parse/model";
import { buildTooling, shellCommands } from "@/lib/compliance/shell";

describe("shell reading", () => {
  it("splits a script into simple commands, respecting quotes", () => {
    expect(shellCommands(`set -e; A=1 apt-get install -y "a b" && echo 'x && y' | tee f || (cd /x && make)`)).toEqual([
      ["set", "-e"],
      ["apt-get", "install", "-y", "a b"],
      ["echo", "x && y"],
      ["tee", "f"],
      ["cd", "/x"],
      ["make"],
    ]);
  });

  it("follows sh -c and skips comments", () => {
    expect(shellCommands(`sh -c "pip install x" # npm install`)).toEqual([["sh", "-c", "pip install x"], ["pip", "install", "x"]]);
  });

  it("reads exec form", () => {
    expect(execFormArgs('["a", "b"]')).toEqual(["a", "b"]);
    expect(execFormArgs("[]")).toEqual([]);
    expect(execFormArgs('["a", 1]')).toBeNull();
    expect(execFormArgs("a b")).toBeNull();
    expect(execFormArgs('[ "broken')).toBeNull();
  });

  it("names build tooling", () => {
    expect(buildTooling(["apt-get", "-y", "install", "gcc"])).toBe("apt-get install gcc");
    expect(buildTooling(["apt-get", "install", "-y", "xrdp", "tini"])).toBeNull();
    expect(buildTooling(["/usr/bin/gcc", "-o", "x"])).toBe("gcc");
    expect(buildTooling(["python3", "-m", "pip", "install", "x"])).toBe("python3 -m pip install");
    expect(buildTooling(["apt-get", "update"])).toBeNull();
    expect(buildTooling(["pip", "wheel", "x"])).toBeNull();
    expect(buildTooling(["python3", "-c", "import pip"])).toBeNull();
  });
});
