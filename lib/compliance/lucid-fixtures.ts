// The Lucid plan's images with the facts compliance needs, and where the fixture checkout lives:
// shared by the fixture tests and bench/compliance.ts. Not used by the app.
import path from "node:path";
import type { ComplianceImage } from "@/lib/compliance/plan-compliance";
import { LUCID_SERVICE_DEFAULTS } from "@/lib/plan/defaults";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { DEFAULT_EXPECTED_USER } from "@/lib/compliance/types";

/** The Lucid repository fixture (26 of the plan's 35 Dockerfiles), relative to the project root. */
export const FIXTURE_ROOT = path.resolve(process.cwd(), "../shared/fixtures/lucid-repo");

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
