import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { ADMIN, ADMIN_STATE } from "./e2e/support/auth";

const port = Number(process.env.E2E_PORT ?? 3210);
const registryPort = Number(process.env.E2E_REGISTRY_PORT ?? 5055);
const enginePort = Number(process.env.E2E_ENGINE_PORT ?? 5056);
const sinkPort = Number(process.env.E2E_SINK_PORT ?? 5057);
const databaseUrl = "file:./data/e2e.db";

// Each run starts from a fresh database; workers load this file too, so only the runner deletes it.
if (!process.env.TEST_WORKER_INDEX) {
  for (const suffix of ["", "-wal", "-shm", ".instance"]) rmSync(`data/e2e.db${suffix}`, { force: true });
  rmSync("data/e2e-logs", { recursive: true, force: true });
  rmSync(ADMIN_STATE, { force: true });
}

// containers-registries.conf(5) for buildah (the server's builds and the tests' own): the loopback registry speaks
// plain HTTP, so a FROM that names it (e2e/fixtures/lucid-checkout/payment-systems/tron) is pulled without TLS.
export const REGISTRIES_CONF = path.resolve("data/e2e-registries.conf");
if (!process.env.TEST_WORKER_INDEX) {
  mkdirSync("data", { recursive: true });
  writeFileSync(REGISTRIES_CONF, `[[registry]]\nlocation = "127.0.0.1:${registryPort}"\ninsecure = true\n`);
}

// Debian's Chromium where Playwright's own browser cannot be downloaded (see README).
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: systemChromium
    ? { executablePath: systemChromium, args: ["--disable-background-networking", "--disable-component-update", "--no-first-run"] }
    : {},
};

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    // Signs in through /login as the admin the server creates from LUCID_ADMIN_EMAIL/PASSWORD, once.
    { name: "setup", testMatch: /auth\.setup\.ts$/, use: { ...chromium } },
    {
      name: "chromium",
      dependencies: ["setup"],
      // Every spec starts signed in as that admin; 06-auth makes its own anonymous, viewer and operator contexts.
      use: { ...chromium, storageState: ADMIN_STATE },
    },
  ],
  webServer: [
    {
      command: "npx tsx e2e/registry-server.ts",
      url: `http://127.0.0.1:${registryPort}/v2/`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { E2E_REGISTRY_PORT: String(registryPort) },
    },
    {
      command: "npx tsx e2e/docker-engine.ts",
      url: `http://127.0.0.1:${enginePort}/_ping`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { E2E_ENGINE_PORT: String(enginePort) },
    },
    {
      command: "npx tsx e2e/notify-sink.ts",
      url: `http://127.0.0.1:${sinkPort}/`,
      timeout: 30_000,
      reuseExistingServer: false,
      env: { E2E_SINK_PORT: String(sinkPort) },
    },
    {
      command: `node scripts/serve.mjs --hostname 127.0.0.1 --port ${port}`,
      url: `http://127.0.0.1:${port}/api/plan`,
      timeout: 120_000,
      reuseExistingServer: false,
      env: {
        DATABASE_URL: databaseUrl,
        NEXT_TELEMETRY_DISABLED: "1",
        // Builds run for real: buildah builds FROM scratch fixtures and pushes to the loopback registry.
        LUCID_REPO_ROOT: "e2e/fixtures/lucid-checkout",
        LUCID_BUILDER: "buildah",
        LUCID_BUILDAH_ROOT: "data/e2e-buildah",
        CONTAINERS_REGISTRIES_CONF: REGISTRIES_CONF,
        // Every "Check now" asks the loopback registry again (the default waits a minute per base).
        LUCID_BASE_CHECK_MIN_INTERVAL_S: "0",
        // Every event goes to a loopback webhook receiver (e2e/notify-sink.ts); the sender looks every second.
        LUCID_NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${sinkPort}/hook`,
        LUCID_NOTIFY_WEBHOOK_SECRET: "e2e webhook signing secret",
        LUCID_NOTIFY_INTERVAL_S: "1",
        LUCID_REGISTRY: `127.0.0.1:${registryPort}`,
        LUCID_LOG_DIR: "data/e2e-logs",
        // Health polling against services the tests start on 127.0.0.1 (never another host).
        LUCID_DEPLOY_HOST: "127.0.0.1",
        LUCID_HEALTH_INTERVAL_S: "1",
        LUCID_DOCKER_HOST: `http://127.0.0.1:${enginePort}`,
        LUCID_DOCKER_INTERVAL_S: "1",
        LUCID_HEALTH_TIMEOUT_MS: "500",
        LUCID_HEALTH_THRESHOLD: "2",
        // The first admin, created at the first start (there is no user yet in a fresh database).
        LUCID_ADMIN_EMAIL: ADMIN.email,
        LUCID_ADMIN_PASSWORD: ADMIN.password,
      },
      stdout: "pipe",
    },
  ],
});
