// prisma/schema.prisma is the one schema. The PostgreSQL client and migrations are made from the same models: only
// the datasource provider and the generated client's folder differ. Plain JavaScript because the client is generated
// at `npm install` (scripts/generate-client.mjs), before anything can compile TypeScript.

/** Where the derived PostgreSQL schema is written (generated, not committed) and its migrations live (committed). */
export const POSTGRESQL_SCHEMA_PATH = "prisma/postgresql/schema.prisma";
export const POSTGRESQL_MIGRATIONS_DIR = "prisma/postgresql/migrations";

/** The PostgreSQL variant of the SQLite schema text; throws when the text no longer has the parts it rewrites. */
export function postgresqlSchema(sqliteSchema) {
  const provider = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
  const output = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/lib\/generated\/prisma"/;
  if (!provider.test(sqliteSchema) || !output.test(sqliteSchema)) {
    throw new Error('prisma/schema.prisma must declare provider = "sqlite" and output = "../lib/generated/prisma" for the PostgreSQL variant to be derived');
  }
  const header = "// GENERATED from prisma/schema.prisma by lib/db/schema-variants.mjs: edit that file, not this one.\n";
  return header + sqliteSchema.replace(provider, '$1"postgresql"').replace(output, '$1"../../lib/generated/prisma-postgresql"');
}
