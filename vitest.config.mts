import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**"],
    environment: "node",
    testTimeout: 20_000,
    globalSetup: ["./vitest.setup-fixtures.ts", "./vitest.setup-postgres.ts"],
  },
});
