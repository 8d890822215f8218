import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createToken } from "@/lib/tokens/tokens";
import { useAppDatabase, type AppDatabase } from "@/lib/testing/app-database";

let app: AppDatabase;
let prisma: PrismaClient;
let POST: typeof import("@/app/api/builds/[id]/scans/route").POST;
let GET: typeof import("@/app/api/images/[name]/vulnerabilities/route").GET;
let writer = "";
let buildId = 0;

const REPORT = readFileSync(path.join(process.cwd(), "lib/vulnerabilities/fixtures/trivy.json"));

beforeAll(async () => {
  app = await useAppDatabase("scans-route");
  prisma = app.prisma;
  writer = (await createToken(prisma, "ci-scanner", ["builds:write"])).token;
  const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
  buildId = (await prisma.build.create({ data: { imageId: image.id, status: "succeeded", source: "api", pushed: true, digest: `sha256:${"2".repeat(64)}`, tags: [], platforms: [] } })).id;
  ({ POST } = await import("@/app/api/builds/[id]/scans/route"));
  ({ GET } = await import("@/app/api/images/[name]/vulnerabilities/route"));
});

afterAll(async () => app.restore());

const post = (id: string, body: Buffer | string, token: string | null = writer) =>
  POST(new Request(`http://localhost/api/builds/${id}/scans`, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {}, body: typeof body === "string" ? body : new Uint8Array(body) }), { params: Promise.resolve({ id }) });

describe("POST /api/builds/{id}/scans", () => {
  it("refuses without a writing token, a bad id, an unknown build, a bad report; nothing is stored", async () => {
    expect((await post(String(buildId), REPORT, null)).status).toBe(401);
    const runner = (await createToken(prisma, "runner-only", ["builds:run"])).token;
    expect((await post(String(buildId), REPORT, runner)).status).toBe(403);
    expect((await post("abc", REPORT)).status).toBe(400);
    expect((await post("999999", REPORT)).status).toBe(404);
    const bad = await post(String(buildId), '{"SchemaVersion": 2, "Results": "no"}');
    expect(bad.status).toBe(422);
    expect((await bad.json()).error).toBe("not a valid Trivy JSON report: Results: Invalid input: expected array, received string");
    expect(await prisma.vulnerabilityScan.count()).toBe(0);
  });

  it("keeps a report that names the build's digest, and GET /api/images/{name}/vulnerabilities shows it", async () => {
    const response = await post(String(buildId), REPORT);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ build: buildId, image: "lucid-session-api", findings: 7, counts: { critical: 1, fixableCriticalHigh: 3 } });
    const view = await (await GET(new Request("http://localhost/api/images/lucid-session-api/vulnerabilities", { headers: { authorization: `Bearer ${app.reader}` } }), { params: Promise.resolve({ name: "lucid-session-api" }) })).json();
    expect(view.scan).toMatchObject({ build: buildId, scanner: "trivy", critical: 1, high: 2 });
    expect(view.findings[0]).toMatchObject({ vulnerabilityId: "CVE-2024-45490", severity: "critical", fixState: "fixed" });
    expect(view.fixableBySeverity).toEqual({ critical: 1, high: 2, medium: 0, low: 0, unknown: 0 });
  });
});
