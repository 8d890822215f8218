import { describe, expect, it } from "vitest";
import { durationScale, formatAgo, formatDuration, formatRelative, inScale, sizeScale, timeTickFormat } from "@/lib/format";

describe("durations", () => {
  it("reads short builds in seconds, long ones in minutes or hours", () => {
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(750_000)).toBe("12.5 min");
    expect(formatDuration(3_900_000)).toBe("1 h 05 min");
    expect(formatDuration(null)).toBe("—");
  });

  it("picks a chart unit from the longest duration", () => {
    const short = durationScale([12_000, 95_000]);
    expect(short.unit).toBe("s");
    expect(inScale(95_400, short)).toBe(95.4);
    const long = durationScale([30_000, 750_000]);
    expect(long.unit).toBe("min");
    expect(inScale(750_000, long)).toBe(12.5);
    expect(durationScale([4 * 3_600_000]).unit).toBe("h");
    // A fast build beside a slow one still has a bar: 3 s is 0.05 min, not 0.
    expect(inScale(3_000, long)).toBe(0.05);
    expect(inScale(0, long)).toBe(0);
  });

  it("picks a size unit from the largest size", () => {
    expect(sizeScale([4_200, 9_000]).unit).toBe("kB");
    expect(sizeScale([41_200_000, 900]).unit).toBe("MB");
    expect(sizeScale([2.5e9]).unit).toBe("GB");
  });
});

describe("times", () => {
  const now = Date.parse("2026-11-30T12:00:00Z");
  it("says how long ago in words", () => {
    expect(formatAgo("2026-11-30T11:57:00Z", now)).toBe("3 min");
    expect(formatRelative("2026-11-30T11:57:00Z", now)).toBe("3 min ago");
    expect(formatRelative("2026-11-30T11:59:58Z", now)).toBe("just now");
    expect(formatRelative("2026-11-28T12:00:00Z", now)).toBe("2 d ago");
  });

  it("labels a time axis so that neighbouring ticks differ", () => {
    const t = Date.parse("2026-11-30T10:15:07Z");
    expect(timeTickFormat(120_000)(t)).toBe("10:15:07");
    expect(timeTickFormat(3_600_000)(t)).toBe("10:15");
    expect(timeTickFormat(7 * 86_400_000)(t)).toBe("11-30");
  });
});
