import { describe, expect, it } from "vitest";
import { databaseVersion, untilChange } from "@/lib/db/changes";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import { databaseFilePath } from "@/lib/db/url";

describe("databaseVersion", () => {
  it.skipIf(onPostgres)("stays the same while nothing is committed and changes with every commit, by any connection", async () => {
    const { prisma, url, cleanup } = await createTestDatabase();
    try {
      const file = databaseFilePath(url);
      const before = databaseVersion(file);
      await prisma.image.count();
      expect(databaseVersion(file)).toBe(before);
      await prisma.setting.create({ data: { key: "probe", value: "1" } });
      const afterWrite = databaseVersion(file);
      expect(afterWrite).not.toBe(before);
      await prisma.$transaction([prisma.setting.update({ where: { key: "probe" }, data: { value: "2" } }), prisma.setting.delete({ where: { key: "probe" } })]);
      expect(databaseVersion(file)).not.toBe(afterWrite);
    } finally {
      await cleanup();
    }
  });
});

describe("untilChange", () => {
  function counter() {
    const state = { version: 1, now: 0, loads: 0 };
    const load = untilChange(async () => ++state.loads, { version: () => state.version, now: () => state.now, maxAgeMs: 1000 });
    return { state, load };
  }

  it("computes once per version and shares the answer, also with callers that ask while it is computed", async () => {
    const { state, load } = counter();
    expect(await Promise.all([load(), load(), load()])).toEqual([1, 1, 1]);
    expect(await load()).toBe(1);
    state.version = 2;
    expect(await load()).toBe(2);
    expect(state.loads).toBe(2);
  });

  it("computes again after maxAgeMs even without a change", async () => {
    const { state, load } = counter();
    await load();
    state.now = 999;
    expect(await load()).toBe(1);
    state.now = 1000;
    expect(await load()).toBe(2);
  });

  it("does not keep a failure: the next call tries again", async () => {
    let calls = 0;
    const load = untilChange(async () => {
      calls += 1;
      if (calls === 1) throw new Error("database is locked");
      return "ok";
    }, { version: () => 1 });
    await expect(load()).rejects.toThrow("database is locked");
    expect(await load()).toBe("ok");
  });
});
