import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { executeBuild } from "@/lib/builds/execute";
import { runnerSettings } from "@/lib/builds/settings";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedDefaults } from "@/lib/plan/seed";

let prisma: PrismaClient;
let cleanup: () => Promise<void>;
let dir: string;
const saved = { ...process.env };

beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
  dir = mkdtempSync(path.join(tmpdir(), "lucid-execute-"));
  mkdirSync(path.join(dir, "checkout/sessions"), { recursive: true });
  writeFileSync(path.join(dir, "checkout/sessions/Dockerfile.api"), "FROM scratch\n");
  mkdirSync(path.join(dir, "bin"));
  writeFileSync(path.join(dir, "bin/docker"), "#!/bin/sh\nexit 0\n");
  chmodSync(path.join(dir, "bin/docker"), 0o755);
  writeFileSync(path.join(dir, "not-a-folder"), "");
  Object.assign(process.env, { LUCID_REPO_ROOT: path.join(dir, "checkout"), LUCID_BUILDER: "buildx", PATH: `${path.join(dir, "bin")}:${saved.PATH}` });
});

afterEach(async () => {
  process.env = { ...saved };
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

it("a build whose log cannot be written fails with the reason instead of staying running", async () => {
  const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
  const build = await prisma.build.create({ data: { imageId: image.id, status: "running", source: "dashboard", startedAt: new Date(), tags: [], platforms: [] } });
  const settings = { ...runnerSettings({} as NodeJS.ProcessEnv), logDir: path.join(dir, "not-a-folder", "logs"), registry: "127.0.0.1:9" };

  await executeBuild(prisma, build.id, settings, { signal: new AbortController().signal });

  const after = await prisma.build.findUniqueOrThrow({ where: { id: build.id } });
  expect(after.status).toBe("failed");
  expect(after.finishedAt).not.toBeNull();
  expect(after.failureReason).toMatch(/internal error: .*ENOTDIR/);
});
