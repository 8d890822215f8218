// With LUCID_TEST_DATABASE=postgresql (npm run test:postgresql), the unit tests' databases are PostgreSQL
// databases: one server for the run (started from Debian's postgresql package on 127.0.0.1, or
// LUCID_TEST_POSTGRES_URL's), a template migrated once, and a copy of it per test database (lib/db/test-database.ts).
import { deployMigrations } from "@/lib/db/migrations";
import { startPostgres } from "@/lib/db/postgres-server";

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.LUCID_TEST_DATABASE !== "postgresql") return;
  const server = await startPostgres();
  const template = await server.createDatabase("lucid_template");
  await deployMigrations({ databaseUrl: template });
  // Workers inherit the environment: they find the server and the template here.
  process.env.LUCID_TEST_POSTGRES_URL = server.baseUrl;
  process.env.LUCID_TEST_POSTGRES_TEMPLATE = new URL(template).pathname.slice(1);
  console.log(`Unit tests on PostgreSQL at ${server.baseUrl} (template ${process.env.LUCID_TEST_POSTGRES_TEMPLATE}).`);
  return () => server.stop();
}
