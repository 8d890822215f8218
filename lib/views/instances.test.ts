import { afterEach, beforeEach, expect, it } from "vitest";
import { createTestDatabase, onPostgres } from "@/lib/db/test-database";
import { tryLease } from "@/lib/db/lease";
import { INSTANCE_LEASE } from "@/lib/builds/worker";
import { POLLER_LEASE } from "@/lib/health/poller";
import { instance, processHolder } from "@/lib/server/instance";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { dashboardInstances } from "@/lib/views/instances";

let prisma: PrismaClient;
let url: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ prisma, url, cleanup } = await createTestDatabase());
});
afterEach(async () => cleanup());

it.skipIf(onPostgres)("on SQLite names the file and this instance, and no others: one process does everything", async () => {
  expect(await dashboardInstances(prisma, url, new Date(), { refused: null })).toEqual({
    engine: "sqlite",
    database: url.replace(/^file:/, ""),
    here: instance().id,
    shared: false,
    alive: [],
    poller: null,
    buildsRefused: null,
  });
});

it.skipIf(!onPostgres)("on PostgreSQL lists the instances alive and who polls, never the password", async () => {
  const now = new Date();
  await tryLease(prisma, `${INSTANCE_LEASE}${instance().id}`, processHolder(), 20_000, now);
  await tryLease(prisma, `${INSTANCE_LEASE}dashboard-b`, "dashboard-b#b-token", 20_000, now);
  // One that stopped answering a minute ago is not alive.
  await tryLease(prisma, `${INSTANCE_LEASE}dashboard-gone`, "dashboard-gone#old", 1_000, new Date(now.getTime() - 60_000));
  await tryLease(prisma, POLLER_LEASE, "dashboard-b#b-token", 20_000, now);
  const withPassword = `${url.replace("://lucid@", "://lucid:s3cret@")}?sslpassword=k3y`;
  const refused = "another process is running as instance x (LUCID_INSTANCE_ID): give each instance its own id; this process claims no builds";
  const info = await dashboardInstances(prisma, withPassword, now, { refused });
  expect(info).toMatchObject({ engine: "postgresql", here: instance().id, shared: true, poller: { id: "dashboard-b", thisProcess: false }, buildsRefused: refused });
  expect(info.database).not.toMatch(/s3cret|k3y/);
  expect(info.database).toContain("lucid:***@");
  expect(info.alive.map(({ id, thisProcess }) => ({ id, thisProcess })).sort((x, y) => x.id.localeCompare(y.id))).toEqual(
    [
      { id: "dashboard-b", thisProcess: false },
      { id: instance().id, thisProcess: true },
    ].sort((x, y) => x.id.localeCompare(y.id)),
  );
});
