import { describe, expect, it } from "vitest";
import { imageState, percent, phaseStatus } from "@/lib/builds/status";

describe("imageState", () => {
  it("follows the latest build record", () => {
    expect(imageState(null)).toBe("not_built");
    expect(imageState({ status: "queued", pushed: false })).toBe("queued");
    expect(imageState({ status: "running", pushed: false })).toBe("building");
    expect(imageState({ status: "succeeded", pushed: false })).toBe("built");
    expect(imageState({ status: "succeeded", pushed: true })).toBe("pushed");
    for (const status of ["failed", "cancelled", "interrupted"]) expect(imageState({ status, pushed: false })).toBe("failed");
  });
});

describe("phaseStatus", () => {
  it("is complete only when the required number of images is shipped (pushed at least once)", () => {
    expect(phaseStatus(2, 2, true)).toBe("complete");
    expect(phaseStatus(2, 1, true)).toBe("in_progress");
    expect(phaseStatus(2, 0, true)).toBe("in_progress");
    expect(phaseStatus(2, 0, false)).toBe("pending");
    expect(phaseStatus(0, 0, false)).toBe("pending");
  });
});

describe("percent", () => {
  it("rounds like the summary (8/35 is 23%) but never claims 100% early", () => {
    expect(percent(8, 35)).toBe(23);
    expect(percent(0, 35)).toBe(0);
    expect(percent(349, 350)).toBe(99);
    expect(percent(35, 35)).toBe(100);
    expect(percent(0, 0)).toBe(0);
  });
});
