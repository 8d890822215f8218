// For CLI tests: each test gets its own database file, and the command's console output is captured.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { main } from "@/lib/cli/main";

export type CliHarness = {
  /** The test's temporary folder, holding its database (DATABASE_URL points there). */
  dir: string;
  /** Every console.log/warn/error line of the commands run so far. */
  output: string[];
  lucid: (...args: string[]) => Promise<number>;
};

/** Registers beforeEach/afterEach that give every test in the file a fresh harness. */
export function cliHarness(prefix: string): CliHarness {
  const harness: CliHarness = { dir: "", output: [], lucid: (...args) => main(["node", "lucid", ...args]) };
  const savedUrl = process.env.DATABASE_URL;
  beforeEach(async () => {
    harness.dir = await mkdtemp(path.join(tmpdir(), prefix));
    process.env.DATABASE_URL = `file:${path.join(harness.dir, "cli.db")}`;
    harness.output = [];
    for (const method of ["log", "warn", "error"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void harness.output.push(args.join(" ")));
    }
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    process.env.DATABASE_URL = savedUrl;
    await rm(harness.dir, { recursive: true, force: true });
  });
  return harness;
}
