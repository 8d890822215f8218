import { describe, expect, it } from "vitest";
import { analyseImageEvidence, type PushedEvidence } from "@/lib/compliance/image";
import { pushedConfig } from "@/lib/registry/config";
import { planWithDefaults } from "@/lib/compliance/analyse";

const plan = planWithDefaults({ platforms: ["linux/arm64", "linux/amd64"] });
const config = (user: string | null, healthcheck: string[] | null = ["CMD", "/probe"]) => ({ user, healthcheck, exposedPorts: ["8080/tcp"] });
const evidence = (...platforms: [string, ReturnType<typeof config> | null][]): PushedEvidence => ({ buildId: 7, platforms: platforms.map(([platform, c]) => ({ platform, config: c })) });

function byRule(e: PushedEvidence | null, p = plan) {
  return Object.fromEntries(analyseImageEvidence(e, p).map((f) => [f.rule, f]));
}

describe("image evidence", () => {
  it("is n/a without a pushed build, or when it recorded no config", () => {
    const none = byRule(null);
    expect(Object.values(none).map((f) => f.status)).toEqual(["n/a", "n/a", "n/a"]);
    expect(none["image-platforms"]!.message).toContain("no pushed build");
    const imported = byRule(evidence(["linux/arm64", null]));
    expect(imported["image-healthcheck"]!.message).toContain("(#7) has no image config");
  });

  it("passes a non-root, health-checked image pushed for every planned platform (arm64/v8 counts as arm64)", () => {
    const found = byRule(evidence(["linux/amd64", config("65532:65532")], ["linux/arm64/v8", config("65532:65532")]));
    expect(found["image-non-root-user"]).toMatchObject({ status: "pass", severity: "error", source: "image", line: null, excerpt: null });
    expect(found["image-non-root-user"]!.message).toContain("as the plan expects");
    expect(found["image-healthcheck"]!.status).toBe("pass");
    expect(found["image-platforms"]!.status).toBe("pass");
  });

  it("fails root (or an unset user) on any platform", () => {
    expect(byRule(evidence(["linux/amd64", config("65532")], ["linux/arm64", config(null)]))["image-non-root-user"]!.message).toBe('runs as root on linux/arm64 (User unset)');
    expect(byRule(evidence(["linux/amd64", config("0:0")]))["image-non-root-user"]!.status).toBe("fail");
  });

  it("fails a missing or NONE health check", () => {
    expect(byRule(evidence(["linux/amd64", config("1", null)]))["image-healthcheck"]!.status).toBe("fail");
    expect(byRule(evidence(["linux/amd64", config("1", ["NONE"])]))["image-healthcheck"]!.status).toBe("fail");
  });

  it("fails a push missing a planned platform", () => {
    expect(byRule(evidence(["linux/amd64", config("1")]))["image-platforms"]).toMatchObject({ status: "fail", message: "the pushed image lacks linux/arm64 (it has linux/amd64)" });
  });

  it("reads BuildPlatform.config as stored, and nothing else", () => {
    expect(pushedConfig({ user: "65532", healthcheck: ["CMD", "x"], exposedPorts: ["80/tcp"] })).toEqual({ user: "65532", healthcheck: ["CMD", "x"], exposedPorts: ["80/tcp"] });
    expect(pushedConfig(null)).toBeNull();
    expect(pushedConfig(["x"])).toBeNull();
    expect(pushedConfig({})).toEqual({ user: null, healthcheck: null, exposedPorts: [] });
  });
});
