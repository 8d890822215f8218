// The database checks around a start (lib/db/preflight.ts): `before` runs ahead of the migrations, `after` once
// the database is migrated and seeded. Exit 1 with the reason when the dashboard must not start.
import { checkAfterStart, checkBeforeStart, DatabaseCheckError } from "@/lib/db/preflight";
import { databaseFilePath } from "@/lib/db/url";
import { databaseEngine } from "@/lib/db/engine";

const step = process.argv[2];
// The checks are about a SQLite file (replaced, emptied, on a network filesystem); a server keeps its own data.
if (databaseEngine() === "postgresql") process.exit(0);
const file = databaseFilePath();
try {
  if (step === "before") checkBeforeStart(file);
  else if (step === "after") for (const warning of checkAfterStart(file).warnings) console.warn(`warning: ${warning}`);
  else throw new Error("usage: tsx scripts/preflight.ts before|after");
} catch (error) {
  if (!(error instanceof DatabaseCheckError)) throw error;
  console.error(error.message);
  process.exit(1);
}
