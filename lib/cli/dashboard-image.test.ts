import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliHarness } from "@/lib/cli/testing";

// The dashboard's own Dockerfile cannot be built here (no base images, no Docker), so it is held to the dashboard's
// own rules instead: distroless final stage, 65532:65532, a health check, bases pinned by digest, exec form.

const cli = cliHarness("lucid-image-");

describe("the dashboard's Dockerfile", () => {
  it("passes every compliance rule, warnings included", async () => {
    const dockerfile = path.join(process.cwd(), "Dockerfile");
    expect(await cli.lucid("compliance", "--port", "3000", "--fail-on", "warning", "--format", "json", dockerfile)).toBe(0);
    const [report] = JSON.parse(cli.output.join("\n")) as { findings: { rule: string; result: string }[]; facts: { finalBase: string; user: { value: string } } }[];
    expect(report!.findings.filter((f) => f.result !== "pass")).toEqual([]);
    expect(report!.facts).toMatchObject({ finalBase: expect.stringMatching(/^gcr\.io\/distroless\/nodejs20-debian12:nonroot@sha256:/), user: { value: "65532:65532" } });
  });
});
