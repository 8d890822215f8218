import { afterEach, describe, expect, it, vi } from "vitest";
import { PeriodicTask } from "@/lib/concurrency";

describe("PeriodicTask", () => {
  afterEach(() => vi.restoreAllMocks());

  it("runs one at a time: a kick while a run is going joins it; a failing run is logged and the next one runs", async () => {
    const errors: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void errors.push(line));
    let runs = 0;
    let release!: () => void;
    const task = new PeriodicTask("sender", () => {
      runs++;
      return runs === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.reject(new Error("SMTP down"));
    }, 60_000);
    task.start();
    task.kick();
    task.kick();
    expect(runs).toBe(1);
    release();
    await task.stop();
    task.kick();
    await task.stop();
    expect(runs).toBe(2);
    expect(errors).toEqual(["sender: SMTP down"]);
  });
});
