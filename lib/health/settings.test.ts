import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  DEPLOY_HOST_KEY,
  deployTargetFromEnv,
  deployTargetInput,
  getDeployTarget,
  healthSettings,
  storeDeployTarget,
} from "@/lib/health/settings";
import { healthTargetInput, targetUrl } from "@/lib/health/targets";

// These only parse and store values: nothing here connects anywhere, LAN addresses included.
const parse = (host: string, scheme?: string) => deployTargetInput.safeParse({ host, scheme });
const accepted = (host: string, scheme?: string) => {
  const result = parse(host, scheme);
  if (!result.success) throw new Error(`refused "${host}": ${result.error.issues[0]!.message}`);
  return result.data;
};
const refusal = (host: string, scheme?: string) => {
  const result = parse(host, scheme);
  if (result.success) throw new Error(`accepted "${host}"`);
  return result.error.issues[0]!;
};

describe("deployment host", () => {
  it("accepts names, IPv4 and IPv6 addresses, with an optional scheme", () => {
    expect(accepted("127.0.0.1")).toEqual({ host: "127.0.0.1", scheme: "http" });
    expect(accepted("  Pi.Local ")).toEqual({ host: "pi.local", scheme: "http" });
    expect(accepted("https://pi.local")).toEqual({ host: "pi.local", scheme: "https" });
    expect(accepted("http://pi.local/")).toEqual({ host: "pi.local", scheme: "http" });
    expect(accepted("pi.local", "https")).toEqual({ host: "pi.local", scheme: "https" });
    expect(accepted("192.168.1.50")).toEqual({ host: "192.168.1.50", scheme: "http" });
    expect(accepted("[::1]")).toEqual({ host: "[::1]", scheme: "http" });
    expect(accepted("fe80:0:0::1")).toEqual({ host: "[fe80::1]", scheme: "http" });
    expect(accepted("https://[FD00::2]")).toEqual({ host: "[fd00::2]", scheme: "https" });
  });

  it("an empty host means polling off", () => {
    expect(accepted("")).toBeNull();
    expect(accepted("   ", "https")).toBeNull();
  });

  it("refuses a path, credentials, a port or another scheme, saying why", () => {
    expect(refusal("http://pi.local/health")).toMatchObject({ path: ["host"], message: expect.stringMatching(/Leave the path out/) });
    expect(refusal("pi.local/health").message).toMatch(/Leave the path out/);
    expect(refusal("pi.local?x=1").message).toMatch(/Leave the path out/);
    expect(refusal("http://admin:secret@pi.local").message).toMatch(/Leave credentials out/);
    expect(refusal("admin@pi.local").message).toMatch(/Leave credentials out/);
    expect(refusal("pi.local:8080").message).toMatch(/Leave the port out/);
    expect(refusal("[::1]:8080").message).toMatch(/Leave the port out/);
    expect(refusal("ftp://pi.local").message).toBe("Only http:// or https:// can be used, not ftp://.");
    expect(refusal("pi.local", "gopher")).toMatchObject({ path: ["scheme"] });
    expect(refusal("https://pi.local", "http").message).toBe("The host starts with https:// but the scheme is http.");
  });

  it("refuses malformed names and addresses", () => {
    expect(refusal("999.1.1.1").message).toBe('"999.1.1.1" is not a valid IPv4 address.');
    expect(refusal("pi_local").message).toMatch(/not a valid host name/);
    expect(refusal("-pi.local").message).toMatch(/not a valid host name/);
    expect(refusal("pi local").message).toMatch(/not a valid host name/);
    expect(refusal("[not-v6]").message).toMatch(/not a valid IPv6 address/);
    expect(refusal("[fe80::1%eth0]").message).toMatch(/not a valid IPv6 address/);
    expect(refusal(`${"a".repeat(64)}.local`).message).toMatch(/not a valid host name/);
  });

  it("comes from LUCID_DEPLOY_HOST and LUCID_DEPLOY_SCHEME", () => {
    expect(deployTargetFromEnv({})).toBeUndefined();
    expect(deployTargetFromEnv({ LUCID_DEPLOY_HOST: "" })).toBeUndefined();
    expect(deployTargetFromEnv({ LUCID_DEPLOY_HOST: "127.0.0.1" })).toEqual({ host: "127.0.0.1", scheme: "http" });
    expect(deployTargetFromEnv({ LUCID_DEPLOY_HOST: "https://pi.local" })).toEqual({ host: "pi.local", scheme: "https" });
    expect(deployTargetFromEnv({ LUCID_DEPLOY_HOST: "pi.local", LUCID_DEPLOY_SCHEME: "https" })).toEqual({ host: "pi.local", scheme: "https" });
    expect(() => deployTargetFromEnv({ LUCID_DEPLOY_HOST: "http://pi.local/health" })).toThrow(/^LUCID_DEPLOY_HOST: Leave the path out/);
    expect(() => deployTargetFromEnv({ LUCID_DEPLOY_HOST: "pi.local", LUCID_DEPLOY_SCHEME: "ftp" })).toThrow(/^LUCID_DEPLOY_SCHEME: /);
  });
});

describe("deployment target in the Setting table", () => {
  let prisma: PrismaClient;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ prisma, cleanup } = await createTestDatabase()));
  afterAll(async () => cleanup());

  it("is unset by default, stored, changed and cleared", async () => {
    expect(await getDeployTarget(prisma)).toBeNull();
    expect(await storeDeployTarget(prisma, { host: "127.0.0.1", scheme: "http" })).toBe(true);
    expect(await getDeployTarget(prisma)).toEqual({ host: "127.0.0.1", scheme: "http" });
    expect(await storeDeployTarget(prisma, { host: "127.0.0.1", scheme: "http" })).toBe(false);
    expect(await storeDeployTarget(prisma, { host: "pi.local", scheme: "https" })).toBe(true);
    expect(await getDeployTarget(prisma)).toEqual({ host: "pi.local", scheme: "https" });
    expect(await storeDeployTarget(prisma, null)).toBe(true);
    expect(await getDeployTarget(prisma)).toBeNull();
    expect(await prisma.setting.count()).toBe(0);
  });

  it("ignores a malformed stored host rather than probe it", async () => {
    await prisma.setting.create({ data: { key: DEPLOY_HOST_KEY, value: "http://pi.local/evil" } });
    expect(await getDeployTarget(prisma)).toBeNull();
    await prisma.setting.deleteMany();
  });
});

describe("poller limits from the environment", () => {
  it("default to 30 s, 5000 ms, 3 failures, 50 at a time, 7 days, 64 KB", () => {
    expect(healthSettings({})).toEqual({ intervalMs: 30_000, timeoutMs: 5000, threshold: 3, concurrency: 50, retentionDays: 7, maxBodyBytes: 65_536 });
  });

  it("are read and checked", () => {
    expect(healthSettings({ LUCID_HEALTH_INTERVAL_S: "10", LUCID_HEALTH_TIMEOUT_MS: "1500", LUCID_HEALTH_THRESHOLD: "1", LUCID_HEALTH_CONCURRENCY: "200", LUCID_HEALTH_RETENTION_DAYS: "30" })).toMatchObject({
      intervalMs: 10_000,
      timeoutMs: 1500,
      threshold: 1,
      concurrency: 200,
      retentionDays: 30,
    });
    expect(() => healthSettings({ LUCID_HEALTH_INTERVAL_S: "0" })).toThrow('LUCID_HEALTH_INTERVAL_S must be a whole number from 1 to 86400; got "0"');
    expect(() => healthSettings({ LUCID_HEALTH_TIMEOUT_MS: "5s" })).toThrow(/LUCID_HEALTH_TIMEOUT_MS/);
  });
});

describe("per-image target", () => {
  const form = (fields: Record<string, string>) => healthTargetInput.safeParse({ image: "lucid-session-api", port: "", healthPath: "", expectField: "", expectValue: "", ...fields });
  const errorsOf = (fields: Record<string, string>) => {
    const result = form(fields);
    return result.success ? {} : Object.fromEntries(result.error.issues.map((i) => [String(i.path[0]), i.message]));
  };

  it("accepts a port, a path and an expectation, or empties", () => {
    expect(form({ port: "8090", healthPath: "/health", expectField: "status", expectValue: "healthy" }).data).toEqual({
      image: "lucid-session-api",
      port: 8090,
      healthPath: "/health",
      expectField: "status",
      expectValue: "healthy",
    });
    expect(form({}).data).toMatchObject({ port: null, healthPath: null, expectField: null, expectValue: null });
  });

  it("refuses ports out of range, paths not starting with one /, and half an expectation", () => {
    expect(errorsOf({ port: "0" })).toHaveProperty("port");
    expect(errorsOf({ port: "65536" })).toHaveProperty("port");
    expect(errorsOf({ port: "80a" })).toHaveProperty("port");
    expect(errorsOf({ healthPath: "health" })).toHaveProperty("healthPath");
    expect(errorsOf({ healthPath: "//evil.example/health" })).toHaveProperty("healthPath");
    expect(errorsOf({ healthPath: "/health#x" })).toHaveProperty("healthPath");
    expect(errorsOf({ expectField: "status" })).toHaveProperty("expectValue");
    expect(errorsOf({ expectValue: "healthy" })).toHaveProperty("expectField");
    expect(errorsOf({ image: "Not An Image" })).toHaveProperty("image");
  });

  it("makes URLs only on the deployment host and the image's port", () => {
    const deploy = { host: "127.0.0.1", scheme: "http" } as const;
    expect(targetUrl(deploy, 8090, "/health")).toBe("http://127.0.0.1:8090/health");
    expect(targetUrl(deploy, 80, "/health")).toBe("http://127.0.0.1/health");
    expect(targetUrl({ host: "[::1]", scheme: "https" }, 8443, "/_cluster/health?local=true")).toBe("https://[::1]:8443/_cluster/health?local=true");
    expect(targetUrl(deploy, 8090, "@evil.example/")).toBeNull();
  });
});
