import { describe, expect, it } from "vitest";
import { driftOf, runningDigests, type PushedBuildDigests } from "@/lib/deploy/running/drift";

const d = (c: string) => `sha256:${c.repeat(64)}`;
const DAY = 24 * 3600 * 1000;
// Newest first: #14 (index a, arm64 manifest b), #13 (index c), #12 (index e, arm64 manifest f).
const BUILDS: PushedBuildDigests[] = [
  { id: 14, finishedAt: new Date(10 * DAY), digests: [d("a"), d("b")] },
  { id: 13, finishedAt: new Date(9 * DAY), digests: [d("c")] },
  { id: 12, finishedAt: new Date(7 * DAY), digests: [d("e"), d("f")] },
];

describe("driftOf", () => {
  it("is up to date when the running image is the latest push, whichever digest the engine reports", () => {
    expect(driftOf(runningDigests(null, [`pickme/x@${d("a")}`]), BUILDS)).toEqual({ status: "up_to_date", runningBuild: 14, latestBuild: 14 });
    // containerd image store: the image ID is the index digest.
    expect(driftOf(runningDigests(d("a"), []), BUILDS).status).toBe("up_to_date");
    // Pulled by platform: the arm64 manifest digest.
    expect(driftOf(runningDigests(null, [`docker.io/pickme/x@${d("b")}`]), BUILDS).status).toBe("up_to_date");
  });

  it("says which build runs and how far behind the latest it is", () => {
    expect(driftOf(runningDigests(d("9"), [`pickme/x@${d("f")}`]), BUILDS)).toEqual({ status: "behind", runningBuild: 12, latestBuild: 14, buildsBehind: 2, behindMs: 3 * DAY });
  });

  it("says the running image is unknown when no pushed build has its digest, and not pushed when none was", () => {
    expect(driftOf(runningDigests(d("9"), []), BUILDS)).toEqual({ status: "unknown_image", digest: d("9"), latestBuild: 14 });
    expect(driftOf([], BUILDS)).toEqual({ status: "unknown_image", digest: null, latestBuild: 14 });
    expect(driftOf([d("a")], [])).toEqual({ status: "not_pushed" });
  });

  it("reads only sha256 digests from what the engine reports", () => {
    expect(runningDigests("not-a-digest", ["pickme/x:latest", `pickme/x@${d("a")}`])).toEqual([d("a")]);
  });
});
