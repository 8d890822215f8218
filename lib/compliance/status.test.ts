import { describe, expect, it } from "vitest";
import { byResult, complianceStatus, countResults, findingResult } from "@/lib/compliance/status";
import type { Finding } from "@/lib/compliance/types";

const finding = (rule: string, status: Finding["status"], severity: Finding["severity"]): Finding => ({
  rule, status, severity, line: null, message: "", excerpt: null, source: "dockerfile",
});

describe("one compliance vocabulary", () => {
  it("only a high-severity rule can fail; a lower one that fails is a warning", () => {
    expect(findingResult(finding("a", "fail", "error"))).toBe("fail");
    expect(findingResult(finding("a", "fail", "warning"))).toBe("warning");
    expect(findingResult(finding("a", "fail", "info"))).toBe("warning");
    expect(findingResult(finding("a", "warn", "error"))).toBe("warning");
    expect(findingResult(finding("a", "n/a", "error"))).toBe("not_checked");
  });

  it("an image's status and its counted results never disagree (no 'Warnings · 2 fail')", () => {
    const findings = [finding("port", "fail", "warning"), finding("pin", "fail", "warning"), finding("user", "pass", "error")];
    expect(complianceStatus(findings)).toBe("warn");
    expect(countResults(findings)).toEqual({ fail: 0, warning: 2, pass: 1, not_checked: 0 });
    const failing = [...findings, finding("root", "fail", "error")];
    expect(complianceStatus(failing)).toBe("fail");
    expect(countResults(failing).fail).toBe(1);
    expect(complianceStatus([finding("a", "n/a", "error")])).toBe("unknown");
  });

  it("sorts failures first, then warnings, passes and what was not checked, keeping the rules' order within each", () => {
    const sorted = byResult([finding("p1", "pass", "error"), finding("n", "n/a", "error"), finding("w", "fail", "warning"), finding("f", "fail", "error"), finding("p2", "pass", "info")]);
    expect(sorted.map((f) => f.rule)).toEqual(["f", "w", "p1", "p2", "n"]);
  });
});
