import { describe, expect, it } from "vitest";
import { dockerfilePresent } from "@/lib/compliance/rules/dockerfile-present";
import { check } from "@/lib/compliance/rules/testing";
import { optionsWithDefaults, planWithDefaults } from "@/lib/compliance/analyse";

describe("dockerfile-present", () => {
  it("passes when there is Dockerfile text, even unparsable text", () => {
    expect(check(dockerfilePresent, ["FROM scratch"]).status).toBe("pass");
    expect(check(dockerfilePresent, "").status).toBe("pass");
  });

  it("fails with the reason when the file is missing", () => {
    const verdict = dockerfilePresent.check({
      dockerfile: null,
      text: null,
      parseError: null,
      file: { path: "node/Dockerfile", problem: "node/Dockerfile does not exist in the checkout /repo" },
      plan: planWithDefaults(),
      options: optionsWithDefaults(),
    });
    expect(verdict).toMatchObject({ status: "fail", message: "node/Dockerfile does not exist in the checkout /repo" });
  });

  it("is an error", () => {
    expect(dockerfilePresent.severity).toBe("error");
  });
});
