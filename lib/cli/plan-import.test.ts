import { mkdtempSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { cliHarness } from "@/lib/cli/testing";
import { deployMigrations } from "@/lib/db/migrations";
import { hasLucidFixtures, lucidPlanDocument, REAL_PLAN_PATH } from "@/lib/testing/lucid-fixtures";

// The real document where present, else the built-in plan written out to a file: the same 35 images either way.
const FIXTURE = hasLucidFixtures ? REAL_PLAN_PATH : path.join(mkdtempSync(path.join(tmpdir(), "lucid-plan-")), "LUCID_35_IMAGES_BUILD_COMMANDS.md");
if (!hasLucidFixtures) writeFileSync(FIXTURE, lucidPlanDocument());

const cli = cliHarness("lucid-cli-");

async function imageCount() {
  await deployMigrations(); // a refused document never reaches the database, which may not exist yet
  const prisma = createPrismaClient();
  try {
    return await prisma.image.count();
  } finally {
    await prisma.$disconnect();
  }
}

describe("npx lucid plan import", () => {
  it("--dry-run previews the real plan and writes nothing", async () => {
    expect(await cli.lucid("plan", "import", FIXTURE, "--dry-run")).toBe(0);
    expect(cli.output.join("\n")).toContain("Would create 35, update 0 and remove 0 image(s)");
    expect(await imageCount()).toBe(0);
  });

  it("imports once, then reports nothing to change", async () => {
    expect(await cli.lucid("plan", "import", FIXTURE)).toBe(0);
    expect(await imageCount()).toBe(35);
    cli.output = [];
    expect(await cli.lucid("plan", "import", FIXTURE)).toBe(0);
    expect(cli.output.join("\n")).toContain("Nothing to change");
  });

  it("names the file and line of every problem in a malformed document and exits 1", async () => {
    const bad = path.join(cli.dir, "bad.md");
    await writeFile(bad, "## PHASE 1: BASE (1 images)\n### 1. Base\n```bash\ndocker buildx build -t pickme/base:1 --push ctx\n```\n");
    expect(await cli.lucid("plan", "import", bad)).toBe(1);
    expect(cli.output).toContain(`${bad}:4: docker buildx build is missing -f/--file (the Dockerfile path)`);
    expect(await imageCount()).toBe(0);
  });

  it("exits 2 with a message for a file it cannot read", async () => {
    expect(await cli.lucid("plan", "import", path.join(cli.dir, "missing.md"))).toBe(2);
    expect(cli.output.join("\n")).toMatch(/cannot read .*missing\.md/);
  });
});
