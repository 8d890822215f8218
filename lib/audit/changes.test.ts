import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ingestBuild } from "@/lib/builds/ingest";
import { BuildRequestError, requestBuild, requestCancel, requestPhaseBuilds } from "@/lib/builds/queue";
import { createTestDatabase } from "@/lib/db/test-database";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { applyDeployTarget } from "@/lib/health/poller";
import { importPlan } from "@/lib/plan/import";
import { LUCID_PLAN } from "@/lib/plan/lucid-plan";
import { seedDefaults } from "@/lib/plan/seed";
import { createToken, revokeToken } from "@/lib/tokens/tokens";

// Every change that the dashboard, the API or the CLI makes writes its audit event in the same transaction.
let prisma: PrismaClient;
let cleanup: () => Promise<void>;
const precheck = async () => {};

beforeEach(async () => {
  ({ prisma, cleanup } = await createTestDatabase());
  await seedDefaults(prisma);
});
afterEach(async () => cleanup());

const events = async () => (await prisma.auditEvent.findMany({ orderBy: { id: "asc" } })).map((e) => ({ actor: e.actor, action: e.action, target: e.target, detail: e.detail }));

describe("audited changes", () => {
  it("a queued build, once (a second click returns the same build and records nothing)", async () => {
    const first = await requestBuild(prisma, "lucid-vm", { source: "dashboard", startedBy: "user ada@example.test" }, precheck);
    await requestBuild(prisma, "lucid-vm", { source: "api", startedBy: "token ci" }, precheck);
    expect(await events()).toEqual([{ actor: "user ada@example.test", action: "build.start", target: "image lucid-vm", detail: { build: first.id, source: "dashboard" } }]);
  });

  it("nothing when the precheck refuses the build", async () => {
    const refuse = async () => {
      throw new BuildRequestError(422, "no checkout");
    };
    await expect(requestBuild(prisma, "lucid-vm", { source: "api", startedBy: "token ci" }, refuse)).rejects.toThrow("no checkout");
    expect(await events()).toEqual([]);
  });

  it("a phase build, with each queued image", async () => {
    const result = await requestPhaseBuilds(prisma, 1, { source: "api", startedBy: "token ops" }, precheck);
    const recorded = await events();
    expect(recorded.filter((e) => e.action === "build.start")).toHaveLength(result.queued.length);
    expect(recorded.at(-1)).toEqual({ actor: "token ops", action: "build.phase", target: "phase 1", detail: { source: "api", queued: result.queued.map((q) => q.image), skipped: [] } });
  });

  it("a cancel, once", async () => {
    const { id } = await requestBuild(prisma, "lucid-vm", { source: "dashboard", startedBy: "user ada@example.test" }, precheck);
    await requestCancel(prisma, id, "user bob@example.test");
    await expect(requestCancel(prisma, id, "user bob@example.test")).rejects.toThrow(/already finished/);
    expect((await events()).filter((e) => e.action === "build.cancel")).toEqual([{ actor: "user bob@example.test", action: "build.cancel", target: `build ${id}`, detail: { was: "queued" } }]);
  });

  it("a reported build", async () => {
    const finishedAt = new Date(Date.now() - 60_000);
    const result = await ingestBuild(prisma, { image: "lucid-vm", status: "failed", exitCode: 1, startedAt: new Date(finishedAt.getTime() - 60_000).toISOString(), finishedAt: finishedAt.toISOString() }, "token ci");
    expect(await events()).toEqual([{ actor: "token ci", action: "build.report", target: "image lucid-vm", detail: { build: result.id, status: "failed", pushed: false } }]);
  });

  it("a plan import that writes (a dry run or an unchanged plan records nothing)", async () => {
    const renamed = { ...LUCID_PLAN, phases: LUCID_PLAN.phases.map((p) => ({ ...p, images: p.images.map((i) => (i.name === "lucid-vm" ? { ...i, title: "VM" } : i)) })) };
    await importPlan(prisma, renamed, { source: "plan.md", document: "x", dryRun: true, actor: "cli" });
    await importPlan(prisma, LUCID_PLAN, { source: "plan.md", document: "y", actor: "cli" });
    await importPlan(prisma, renamed, { source: "plan.md", document: "z", actor: "user root@example.test" });
    const recorded = await events();
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ actor: "user root@example.test", action: "plan.import", target: "plan plan.md", detail: { updated: ["lucid-vm (title)"], created: [], removed: [] } });
  });

  it("a deployment host change, not a save that changes nothing", async () => {
    await applyDeployTarget(prisma, { host: "pi.local", scheme: "http" }, "user root@example.test");
    await applyDeployTarget(prisma, { host: "pi.local", scheme: "http" }, "user root@example.test");
    expect(await events()).toEqual([
      { actor: "user root@example.test", action: "settings.deploy_target", target: "deployment host", detail: { from: null, to: { host: "pi.local", scheme: "http" } } },
    ]);
  });

  it("a token created and revoked, never its secret", async () => {
    const created = await createToken(prisma, "ci", ["builds:run"], "user root@example.test");
    await revokeToken(prisma, "ci", "cli");
    const rows = await prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((e) => [e.actor, e.action, e.target])).toEqual([
      ["user root@example.test", "token.create", "token ci"],
      ["cli", "token.revoke", "token ci"],
    ]);
    expect(rows[0]!.detail).toEqual({ scopes: ["builds:run"], prefix: created.prefix });
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(12));
  });
});
