import { symlinkSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cliHarness } from "@/lib/cli/testing";
import { createPrismaClient } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrations";
import { seedDefaults } from "@/lib/plan/seed";

const cli = cliHarness("lucid-scan-");
const FIXTURES = path.join(import.meta.dirname, "../vulnerabilities/fixtures");
const fixture = (name: string) => path.join(FIXTURES, name);

describe("npx lucid scan check (a CI gate, no server)", () => {
  it("fails on critical and high by default, passes when only unfixable ones remain with --fixable-only", async () => {
    expect(await cli.lucid("scan", "check", fixture("trivy.json"))).toBe(1);
    expect(cli.output.join("\n")).toContain("fail: 3 finding(s) at critical, high.");
    expect(cli.output.join("\n")).toContain("critical CVE-2024-45490 libexpat1 2.5.0-1 → fixed in 2.5.0-1+deb12u1");
    cli.output.length = 0;
    expect(await cli.lucid("scan", "check", fixture("grype.json"), "--fail-on", "high", "--fixable-only")).toBe(0);
    expect(cli.output.join("\n")).toContain("pass: nothing at high, fixable only.");
    expect(await cli.lucid("scan", "check", fixture("grype.json"), "--fail-on", "medium", "--fixable-only")).toBe(1);
    expect(await cli.lucid("scan", "check", fixture("trivy-clean.json"))).toBe(0);
    // A critical whose report cannot say whether it has a fix fails a --fixable-only gate: it fails closed.
    cli.output.length = 0;
    expect(await cli.lucid("scan", "check", fixture("grype.sarif.json"), "--fixable-only")).toBe(1);
    expect(cli.output.join("\n")).toContain("critical CVE-2024-5535 openssl 3.0.11-1~deb12u2 (fix state not in the report)");
  });

  it("says what is wrong with the arguments or the file, with exit code 2", async () => {
    expect(await cli.lucid("scan", "check", fixture("trivy.json"), "--fail-on", "severe")).toBe(2);
    expect(cli.output.join("\n")).toContain('--fail-on takes severities from critical, high, medium, low, unknown separated by commas; "severe" is not one');
    expect(await cli.lucid("scan", "check", path.join(cli.dir, "missing.json"))).toBe(2);
    const link = path.join(cli.dir, "link.json");
    symlinkSync(fixture("trivy.json"), link);
    expect(await cli.lucid("scan", "check", link)).toBe(2);
    expect(cli.output.join("\n")).toContain("it is a symbolic link");
  });
});

describe("npx lucid scan import", () => {
  it("keeps a report with its build, and refuses one on another digest with nothing stored", async () => {
    await deployMigrations();
    const prisma = createPrismaClient();
    try {
      await seedDefaults(prisma);
      const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
      const build = await prisma.build.create({
        data: { imageId: image.id, status: "succeeded", source: "api", pushed: true, digest: `sha256:${"2".repeat(64)}`, tags: [], platforms: [] },
      });
      const other = await prisma.build.create({
        data: { imageId: image.id, status: "succeeded", source: "api", pushed: true, digest: `sha256:${"9".repeat(64)}`, tags: [], platforms: [] },
      });
      expect(await cli.lucid("scan", "import", "--build", String(build.id), fixture("trivy.json"))).toBe(0);
      expect(cli.output.join("\n")).toContain(`7 finding(s) kept with build #${build.id} (lucid-session-api), trivy trivy-json.`);
      expect(await cli.lucid("scan", "import", "--build", String(other.id), fixture("trivy.json"))).toBe(1);
      expect(cli.output.join("\n")).toContain("lucid: nothing was imported: the report describes");
      expect(await prisma.vulnerabilityScan.count()).toBe(1);
      expect(await cli.lucid("scan", "import", "--build", "x", fixture("trivy.json"))).toBe(2);
    } finally {
      await prisma.$disconnect();
    }
  });
});
