import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { deployMigrations } from "@/lib/db/migrations";
import { checkAfterStart, checkBeforeStart, DatabaseCheckError, INSTANCE_KEY, markerPath } from "@/lib/db/preflight";
import { databaseChangeMessage, watchDatabaseFile, type DatabaseFileChange } from "@/lib/db/watch";

let dir: string;
let file: string;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lucid-preflight-"));
  file = path.join(dir, "lucid.db");
  await deployMigrations({ databaseUrl: `file:${file}` });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const instanceIn = (databaseFile: string) =>
  (new Database(databaseFile, { readonly: true }).prepare("SELECT value FROM Setting WHERE key = ?").get(INSTANCE_KEY) as { value: string } | undefined)?.value;

describe("database checks at start", () => {
  it("names a new database, keeps its id beside it, and sets WAL", () => {
    checkBeforeStart(file);
    const report = checkAfterStart(file);
    expect(report).toMatchObject({ writable: true, warnings: [] });
    expect(report.instance).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(markerPath(file), "utf8").trim()).toBe(report.instance);
    expect(instanceIn(file)).toBe(report.instance);
    expect(new Database(file).pragma("journal_mode", { simple: true })).toBe("wal");
    expect(checkAfterStart(file)).toMatchObject({ instance: report.instance, warnings: [] });
  });

  it("refuses to start when the database it used is gone, instead of making an empty one with a new admin", () => {
    checkAfterStart(file);
    rmSync(file);
    expect(() => checkBeforeStart(file)).toThrow(DatabaseCheckError);
    expect(() => checkBeforeStart(file)).toThrow(/is missing, but this dashboard used a database there before[\s\S]*delete .*lucid\.db\.instance/);
    writeFileSync(file, "");
    expect(() => checkBeforeStart(file)).toThrow(/is empty/);
    rmSync(markerPath(file));
    expect(() => checkBeforeStart(file)).not.toThrow();
  });

  it("no other way in makes the empty file either: applying migrations refuses too, and a file without our id is refused", async () => {
    checkAfterStart(file);
    rmSync(file);
    await expect(deployMigrations({ databaseUrl: `file:${file}` })).rejects.toThrow(/is missing, but this dashboard used a database there before/);
    expect(existsSync(file)).toBe(false);
    // A database file made elsewhere (no instance id) put where ours was.
    const other = path.join(dir, "elsewhere.db");
    await deployMigrations({ databaseUrl: `file:${other}` });
    copyFileSync(other, file);
    expect(() => checkAfterStart(file)).toThrow(/has no instance id, but this dashboard used a database there before/);
  });

  it("says so when the database was swapped for another one", async () => {
    const first = checkAfterStart(file).instance;
    const other = path.join(dir, "other.db");
    await deployMigrations({ databaseUrl: `file:${other}` });
    checkAfterStart(other);
    copyFileSync(other, file);
    const report = checkAfterStart(file);
    expect(report.warnings.join("\n")).toMatch(new RegExp(`not the one this dashboard last used \\(that was instance ${first}; this is ${report.instance}\\)`));
    expect(checkAfterStart(file).warnings).toEqual([]);
  });

  it("warns about a read-only database and refuses a damaged one", () => {
    checkAfterStart(file);
    const report = checkAfterStart(file, { readonly: true });
    expect(report.writable).toBe(false);
    expect(report.warnings.join("\n")).toMatch(/is read-only: pages and API reads work, but builds, sign-ins, settings and health samples cannot be saved/);

    const garbage = path.join(dir, "garbage.db");
    writeFileSync(garbage, "this is not an SQLite file, just text that is long enough to look like a header".repeat(100));
    expect(() => checkAfterStart(garbage)).toThrow(/cannot be read as SQLite: file is not a database/);
  });
});

describe("watchDatabaseFile", () => {
  const seen = (action: () => void) =>
    new Promise<DatabaseFileChange>((resolve) => {
      const stop = watchDatabaseFile(file, (change) => {
        stop();
        resolve(change);
      }, 20);
      action();
    });

  it("notices the file deleted or replaced under the server", async () => {
    expect(await seen(() => rmSync(file))).toBe("deleted");
    writeFileSync(file, "a");
    const replacement = path.join(dir, "new.db");
    writeFileSync(replacement, "b");
    expect(await seen(() => renameSync(replacement, file))).toBe("replaced");
    expect(existsSync(file)).toBe(true);
    expect(databaseChangeMessage(file, "deleted")).toMatch(/was deleted while the dashboard was running/);
  });
});
