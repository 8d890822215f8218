export const POSTGRESQL_SCHEMA_PATH: string;
export const POSTGRESQL_MIGRATIONS_DIR: string;
export function postgresqlSchema(sqliteSchema: string): string;
