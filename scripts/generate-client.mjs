// Generates the Prisma clients: the SQLite one from prisma/schema.prisma and the PostgreSQL one from the variant
// derived from it (lib/db/schema-variants.mjs). The Prisma CLI insists on downloading a native schema engine even
// for `generate`, which needs none; pointing it at any file skips the download (see README).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { POSTGRESQL_SCHEMA_PATH, postgresqlSchema } from "../lib/db/schema-variants.mjs";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
mkdirSync(path.dirname(POSTGRESQL_SCHEMA_PATH), { recursive: true });
writeFileSync(POSTGRESQL_SCHEMA_PATH, postgresqlSchema(readFileSync("prisma/schema.prisma", "utf8")));
for (const schema of ["prisma/schema.prisma", POSTGRESQL_SCHEMA_PATH]) {
  const result = spawnSync(process.execPath, [cli, "generate", "--schema", schema], {
    stdio: "inherit",
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
