import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useSeededDatabase } from "@/lib/testing/seeded-database";
import { watchOnce } from "@/lib/commands/notify-watch";

// Drift and worse compliance are judged, not recorded: the watcher compares the picture with what was last told.

const db = useSeededDatabase();
let checkout: string;
let env: Record<string, string>;

beforeAll(async () => {
  checkout = await mkdtemp(path.join(tmpdir(), "lucid-watch-"));
  await mkdir(path.join(checkout, "sessions"));
  env = { LUCID_REPO_ROOT: checkout, LUCID_NOTIFY_SLACK_URL: "http://127.0.0.1:9/slack" };
});
afterAll(async () => rm(checkout, { recursive: true, force: true }));

const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe("the notification watcher", () => {
  it("tells once when a rule that passed fails, never on the first look", async () => {
    const prisma = db.prisma;
    const dockerfile = path.join(checkout, "sessions/Dockerfile.api");
    await writeFile(dockerfile, "FROM gcr.io/distroless/python3-debian12:nonroot\nUSER 65532:65532\nEXPOSE 8090\nHEALTHCHECK CMD [\"/app/health\"]\n");
    expect((await watchOnce(prisma, env)).worse).toEqual([]);
    await writeFile(dockerfile, "FROM gcr.io/distroless/python3-debian12:latest\nUSER root\nEXPOSE 8090\nHEALTHCHECK CMD [\"/app/health\"]\n");
    // The compliance cache is keyed by file identity: a new mtime and size make it read again.
    const result = await watchOnce(prisma, env);
    expect(result.worse).toEqual(["lucid-session-api"]);
    const event = await prisma.notificationEvent.findFirstOrThrow({ where: { type: "compliance.worse" } });
    expect(event.payload).toMatchObject({ image: "lucid-session-api", url: "/images/lucid-session-api#compliance", data: { rules: expect.arrayContaining(["non-root-user"]) } });
    expect((await watchOnce(prisma, env)).worse).toEqual([]);
  });

  it("tells when the Pi runs an older push than the latest, once per new latest push", async () => {
    const prisma = db.prisma;
    const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    const push = (d: string) => prisma.build.create({ data: { imageId: image.id, status: "succeeded", source: "api", pushed: true, digest: d, finishedAt: new Date(), tags: [], platforms: [] } });
    const first = await push(digest("1"));
    await prisma.runningContainer.create({
      data: { service: "session-api", containerName: "session-api-1", image: "pickme/lucid-session-api:latest-arm64", imageId: null, repoDigests: [`pickme/lucid-session-api@${digest("1")}`], state: "running", source: "api", observedAt: new Date() },
    });
    expect((await watchOnce(prisma, env)).drift).toEqual([]);
    const second = await push(digest("2"));
    expect((await watchOnce(prisma, env)).drift).toEqual(["session-api"]);
    const event = await prisma.notificationEvent.findFirstOrThrow({ where: { type: "deployment.drift" } });
    expect(event.payload).toMatchObject({ title: "session-api runs an older lucid-session-api", data: { runningBuild: first.id, latestBuild: second.id } });
    expect((await watchOnce(prisma, env)).drift).toEqual([]);
  });
});
