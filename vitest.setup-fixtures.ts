// Says once, at the start of a unit-test run, whether the suites that read the real Lucid files will run.
import { FIXTURE_ROOT, hasLucidFixtures } from "@/lib/testing/lucid-fixtures";

export default function setup(): void {
  if (!hasLucidFixtures) {
    console.log(`Skipping the suites that read the real Lucid files: none at ${FIXTURE_ROOT} (set LUCID_FIXTURES to their folder to run them).`);
  }
}
