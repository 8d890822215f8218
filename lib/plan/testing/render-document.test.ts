import { describe, expect, it } from "vitest";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { parsePlan } from "@/lib/plan/parse";
import { renderPlanDocument } from "@/lib/plan/testing/render-document";

describe("renderPlanDocument", () => {
  it("writes the built-in plan as a document that parses back to exactly that plan", () => {
    const document = renderPlanDocument(LUCID_PLAN);
    expect(parsePlan(document)).toEqual(LUCID_PLAN);
    expect(document).toContain("### **18. Session API**");
    expect(document).toContain("  -f sessions/Dockerfile.api \\\n");
  });
});
