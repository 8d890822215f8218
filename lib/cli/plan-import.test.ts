import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { main } from "@/lib/cli/main";
import { deployMigrations } from "@/lib/db/migrations";

const FIXTURE = path.resolve("../shared/fixtures/lucid-repo/LUCID_35_IMAGES_BUILD_COMMANDS.md");

let dir: string;
let output: string[];
const savedUrl = process.env.DATABASE_URL;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lucid-cli-"));
  process.env.DATABASE_URL = `file:${path.join(dir, "cli.db")}`;
  output = [];
  for (const method of ["log", "warn", "error"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void output.push(args.join(" ")));
  }
});

afterEach(async () => {
  vi.restoreAllMocks();
  process.env.DATABASE_URL = savedUrl;
  await rm(dir, { recursive: true, force: true });
});

const lucid = (...args: string[]) => main(["node", "lucid", ...args]);

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
    expect(await lucid("plan", "import", FIXTURE, "--dry-run")).toBe(0);
    expect(output.join("\n")).toContain("Would create 35, update 0 and remove 0 image(s)");
    expect(await imageCount()).toBe(0);
  });

  it("imports once, then reports nothing to change", async () => {
    expect(await lucid("plan", "import", FIXTURE)).toBe(0);
    expect(await imageCount()).toBe(35);
    output = [];
    expect(await lucid("plan", "import", FIXTURE)).toBe(0);
    expect(output.join("\n")).toContain("Nothing to change");
  });

  it("names the file and line of every problem in a malformed document and exits 1", async () => {
    const bad = path.join(dir, "bad.md");
    await writeFile(bad, "## PHASE 1: BASE (1 images)\n### 1. Base\n```bash\ndocker buildx build -t pickme/base:1 --push ctx\n```\n");
    expect(await lucid("plan", "import", bad)).toBe(1);
    expect(output).toContain(`${bad}:4: docker buildx build is missing -f/--file (the Dockerfile path)`);
    expect(await imageCount()).toBe(0);
  });

  it("exits 2 with a message for a file it cannot read", async () => {
    expect(await lucid("plan", "import", path.join(dir, "missing.md"))).toBe(2);
    expect(output.join("\n")).toMatch(/cannot read .*missing\.md/);
  });
});
