// The real Lucid files (build-commands document, Dockerfiles, Compose files): the suites that read them run where
// they are present, `../shared/fixtures/lucid-repo` beside the checkout or the folder LUCID_FIXTURES names, and
// are skipped elsewhere (vitest.setup-fixtures.ts says so once). Every behaviour they check is also covered by
// small fixtures in this repository. Not used by the app.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { ComplianceImage } from "@/lib/views/compliance";
import { DEFAULT_EXPECTED_USER } from "@/lib/compliance/types";
import { LUCID_SERVICE_DEFAULTS } from "@/lib/plan/defaults";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { renderPlanDocument } from "@/lib/plan/testing/render-document";

/** The Lucid repository fixture (26 of the plan's 35 Dockerfiles), relative to the project root. */
export const FIXTURE_ROOT = path.resolve(process.cwd(), process.env.LUCID_FIXTURES ?? "../shared/fixtures/lucid-repo");

/** Small Dockerfiles written for the tests, at paths the built-in plan names (three of its images). */
export const SMALL_CHECKOUT = path.resolve(process.cwd(), "lib/compliance/testing/checkout");

export const REAL_PLAN_PATH = path.join(FIXTURE_ROOT, "LUCID_35_IMAGES_BUILD_COMMANDS.md");

/** True where the real Lucid files are present; suites that need them are `describe.skipIf(!hasLucidFixtures)`. */
export const hasLucidFixtures = existsSync(REAL_PLAN_PATH);

/**
 * The build-commands document of the built-in plan: the real one where present, else the same plan written out
 * from lib/plan/lucid-plan.ts, which parses to exactly that plan (lines included).
 */
export function lucidPlanDocument(): string {
  return hasLucidFixtures ? readFileSync(REAL_PLAN_PATH, "utf8") : renderPlanDocument(LUCID_PLAN);
}

/** Every image of the built-in plan, in plan order, with its port from LUCID_SERVICE_DEFAULTS. */
export function lucidComplianceImages(): ComplianceImage[] {
  return LUCID_PLAN.phases.flatMap((phase) =>
    phase.images.map((image) => ({
      name: image.name,
      dockerfile: image.dockerfile,
      port: LUCID_SERVICE_DEFAULTS[image.name]?.port ?? null,
      expectedUser: LUCID_SERVICE_DEFAULTS[image.name]?.expectedUser ?? DEFAULT_EXPECTED_USER,
      platforms: image.platforms,
    })),
  );
}
