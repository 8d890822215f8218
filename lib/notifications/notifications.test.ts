import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useSeededDatabase } from "@/lib/testing/seeded-database";
import { notifyBuildOutcome } from "@/lib/notifications/build-events";
import { notifyServiceChanges } from "@/lib/notifications/service-events";
import { createChannel, listChannels, sendTest } from "@/lib/notifications/manage";
import { deliverDue, MAX_ATTEMPTS } from "@/lib/notifications/sender";
import { recordSamples } from "@/lib/health/record";

// Loopback sinks: an HTTP server that records every request (and can fail or redirect on demand), and an SMTP
// server (smtp-server) that records every message. Nothing leaves 127.0.0.1.

type Received = { path: string; headers: IncomingMessage["headers"]; body: string };
let http: Server;
let base = "";
const received: Received[] = [];
let failNext = 0;
let smtp: SMTPServer;
let smtpPort = 0;
const mails: string[] = [];

beforeAll(async () => {
  http = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c: string) => (body += c));
    req.on("end", () => {
      if (req.url === "/moved") {
        res.writeHead(307, { location: "http://127.0.0.2:9/elsewhere" }).end();
        return;
      }
      received.push({ path: req.url ?? "", headers: req.headers, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end("try again later");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      let data = "";
      stream.setEncoding("utf8").on("data", (c: string) => (data += c));
      stream.on("end", () => {
        mails.push(data);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => http?.close(resolve));
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

beforeEach(() => {
  received.length = 0;
  mails.length = 0;
  failNext = 0;
});

const db = useSeededDatabase();
const SECRET = "a webhook signing secret of some length";
const env = () => ({
  BETTER_AUTH_SECRET: "x".repeat(40),
  LUCID_PUBLIC_URL: "https://builds.example.org",
  LUCID_NOTIFY_WEBHOOK_URL: `${base}/hook`,
  LUCID_NOTIFY_WEBHOOK_SECRET: SECRET,
  LUCID_NOTIFY_SLACK_URL: `${base}/slack`,
  LUCID_NOTIFY_DISCORD_URL: `${base}/discord`,
  LUCID_NOTIFY_TEAMS_URL: `${base}/teams`,
  LUCID_NOTIFY_NTFY_URL: `${base}/lucid-builds`,
  LUCID_NOTIFY_TELEGRAM_TOKEN: "123456:ABC-def",
  LUCID_NOTIFY_TELEGRAM_CHAT: "-1001",
  LUCID_NOTIFY_SMTP_URL: `smtp://127.0.0.1:${smtpPort}?security=none`,
  LUCID_NOTIFY_EMAIL_FROM: "dashboard@example.org",
  LUCID_NOTIFY_EMAIL_TO: "team@example.org",
});
const settings = () => ({ env: env(), telegramApi: base, backoffMs: [0, 0, 0, 0, 0], timeoutMs: 2_000 });

async function failBuild(prisma: PrismaClient, status: "failed" | "succeeded", e: Record<string, string> = env(), reason = "buildah exited with code 125: COPY failed") {
  const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
  return prisma.$transaction(async (tx) => {
    const build = await tx.build.create({ data: { imageId: image.id, status, source: "api", tags: [], platforms: [], failureReason: status === "failed" ? reason : null } });
    await notifyBuildOutcome(tx, { imageId: image.id, buildId: build.id, status, reason: status === "failed" ? reason : null }, e);
    return build.id;
  });
}

describe("a failed build, told on every channel kind", () => {
  it("sends each channel its own payload, once per failing streak, with the event id and a link to the build", async () => {
    const prisma = db.prisma;
    const id = await failBuild(prisma, "failed");
    await failBuild(prisma, "failed"); // the same streak: not told again
    const outcomes = await deliverDue(prisma, settings());
    expect(outcomes.map((o) => o.status)).toEqual(Array(7).fill("sent"));
    const by = (path: string) => received.find((r) => r.path === path)!;
    const event = JSON.parse(by("/hook").body);
    expect(event).toMatchObject({
      type: "build.failed",
      title: `lucid-session-api: build #${id} failed`,
      text: "buildah exited with code 125: COPY failed",
      url: `https://builds.example.org/builds/${id}`,
      image: "lucid-session-api",
      phase: 4,
      data: { build: id },
    });
    // HMAC-SHA256 over "timestamp.body", with the timestamp in the header against replay.
    const [t, v1] = String(by("/hook").headers["x-lucid-signature"]).split(",").map((p) => p.split("=")[1]);
    expect(v1).toBe(createHmac("sha256", SECRET).update(`${t}.${by("/hook").body}`).digest("hex"));
    expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
    expect(by("/hook").headers["x-lucid-event-id"]).toBe(event.id);

    expect(JSON.parse(by("/slack").body)).toEqual({
      text: `lucid-session-api: build #${id} failed: buildah exited with code 125: COPY failed`,
      blocks: [{ type: "section", text: { type: "mrkdwn", text: `*lucid-session-api: build #${id} failed*\nbuildah exited with code 125: COPY failed\n<https://builds.example.org/builds/${id}|Open in the dashboard>` } }],
    });
    expect(JSON.parse(by("/discord").body)).toEqual({
      username: "Lucid Build Dashboard",
      allowed_mentions: { parse: [] },
      embeds: [{ title: `lucid-session-api: build #${id} failed`, description: "buildah exited with code 125: COPY failed", url: `https://builds.example.org/builds/${id}`, color: 0xe11d48, timestamp: event.at }],
    });
    const teams = JSON.parse(by("/teams").body);
    expect(teams.attachments[0].contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(teams.attachments[0].content.body[0]).toMatchObject({ type: "TextBlock", text: `lucid-session-api: build #${id} failed`, color: "Attention" });
    expect(teams.attachments[0].content.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in the dashboard", url: `https://builds.example.org/builds/${id}` }]);
    const ntfy = by("/lucid-builds");
    expect(ntfy.body).toBe("buildah exited with code 125: COPY failed");
    expect(ntfy.headers).toMatchObject({ priority: "high", tags: "rotating_light", click: `https://builds.example.org/builds/${id}` });
    expect(JSON.parse(by("/bot123456:ABC-def/sendMessage").body)).toEqual({
      chat_id: "-1001",
      text: `lucid-session-api: build #${id} failed\nbuildah exited with code 125: COPY failed\nhttps://builds.example.org/builds/${id}`,
      disable_web_page_preview: true,
    });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain(`Subject: [Lucid] lucid-session-api: build #${id} failed`);
    expect(mails[0]).toMatch(new RegExp(`X-Lucid-Event-Id: ${event.id}`, "i"));

    // Fixed: told once; another success says nothing.
    received.length = 0;
    await failBuild(prisma, "succeeded");
    await failBuild(prisma, "succeeded");
    await deliverDue(prisma, settings());
    expect(received.filter((r) => r.path === "/hook").map((r) => JSON.parse(r.body).type)).toEqual(["build.fixed"]);
  });
});

describe("delivery you can trust", () => {
  const only = { LUCID_NOTIFY_WEBHOOK_URL: "", LUCID_NOTIFY_SLACK_URL: "", LUCID_NOTIFY_DISCORD_URL: "", LUCID_NOTIFY_TEAMS_URL: "", LUCID_NOTIFY_NTFY_URL: "", LUCID_NOTIFY_TELEGRAM_TOKEN: "", LUCID_NOTIFY_TELEGRAM_CHAT: "", LUCID_NOTIFY_SMTP_URL: "" };

  it("retries a sink that fails twice with backoff, logging each answer, and gives up after the limit", async () => {
    const prisma = db.prisma;
    await createChannel(prisma, { name: "flaky", kind: "slack", settings: {}, secrets: { url: `${base}/flaky` } }, "user admin@x.test", env());
    const s = { ...settings(), env: { ...env(), ...only } };
    await failBuild(prisma, "failed", s.env);
    failNext = 2;
    expect((await deliverDue(prisma, s)).map((o) => [o.status, o.result?.status])).toEqual([["pending", "HTTP 500"]]);
    expect((await deliverDue(prisma, s)).map((o) => o.status)).toEqual(["pending"]);
    expect((await deliverDue(prisma, s)).map((o) => o.status)).toEqual(["sent"]);
    const delivery = await prisma.notificationDelivery.findFirstOrThrow({ where: { channelName: "flaky" } });
    expect(delivery).toMatchObject({ status: "sent", attempts: 3, lastStatus: "HTTP 200", lastError: null });

    failNext = 100;
    await failBuild(prisma, "succeeded", s.env);
    for (let i = 0; i < MAX_ATTEMPTS; i++) await deliverDue(prisma, s);
    const given = await prisma.notificationDelivery.findFirstOrThrow({ where: { channelName: "flaky", event: { type: "build.fixed" } } });
    expect(given).toMatchObject({ status: "gave_up", attempts: MAX_ATTEMPTS, lastStatus: "HTTP 500", lastError: "try again later" });
    expect(await deliverDue(prisma, s)).toEqual([]);
  });

  it("takes over a delivery a crashed sender left mid-send once its lease passes, and never before", async () => {
    const prisma = db.prisma;
    await createChannel(prisma, { name: "hook", kind: "slack", settings: {}, secrets: { url: `${base}/hook2` } }, "user admin@x.test", env());
    const s = { ...settings(), env: { ...env(), ...only } };
    await failBuild(prisma, "failed", s.env);
    // What a sender that died after claiming leaves behind.
    await prisma.notificationDelivery.updateMany({ data: { status: "sending", attempts: 1, leaseUntil: new Date(Date.now() + 60_000) } });
    expect(await deliverDue(prisma, s)).toEqual([]);
    await prisma.notificationDelivery.updateMany({ data: { leaseUntil: new Date(Date.now() - 1) } });
    expect((await deliverDue(prisma, s)).map((o) => o.status)).toEqual(["sent"]);
    expect(received.filter((r) => r.path === "/hook2")).toHaveLength(1);
  });

  it("never follows a redirect to another host", async () => {
    const prisma = db.prisma;
    await createChannel(prisma, { name: "moved", kind: "discord", settings: {}, secrets: { url: `${base}/moved` } }, "user admin@x.test", env());
    const outcome = await sendTest(prisma, (await listChannels(prisma, { ...env(), ...only })).find((c) => c.name === "moved")!.key, "user admin@x.test", { ...env(), ...only }, settings());
    // A test is answered once, to the admin who asked: not retried in the background.
    expect(outcome).toMatchObject({ status: "gave_up", result: { ok: false, status: "HTTP 307", detail: "redirected to 127.0.0.2:9; not followed to another host" } });
  });

  it("keeps secrets sealed: not in the database in clear, never listed", async () => {
    const prisma = db.prisma;
    const url = `${base}/secret-path-123`;
    await createChannel(prisma, { name: "sealed", kind: "slack", settings: {}, secrets: { url } }, "user admin@x.test", env());
    const row = await prisma.notificationChannel.findFirstOrThrow({ where: { name: "sealed" } });
    expect(row.secrets).not.toContain("secret-path-123");
    expect(JSON.stringify(await listChannels(prisma, env()))).not.toContain("secret-path-123");
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "notify.channel_create", target: "channel sealed" } });
    expect(JSON.stringify(audit.detail)).not.toContain("secret-path-123");
    await expect(createChannel(prisma, { name: "bad", kind: "slack", settings: {}, secrets: { url: "ftp://x" } }, "user admin@x.test", env())).rejects.toThrow("url: must be an http(s) URL");
    await expect(createChannel(prisma, { name: "mail", kind: "email", settings: { host: "mail.example.org", port: 25, security: "none", from: "a@example.org", to: ["b@example.org"] }, secrets: {} }, "user admin@x.test", env())).rejects.toThrow(/allowed on loopback only/);
  });
});

describe("services: quiet when they flap", () => {
  it("a degraded state that did not hold is superseded, a problem is told once, and recovered is told on every channel only after a told problem", async () => {
    const prisma = db.prisma;
    const quiet = { LUCID_NOTIFY_DISCORD_URL: "", LUCID_NOTIFY_TEAMS_URL: "", LUCID_NOTIFY_NTFY_URL: "", LUCID_NOTIFY_TELEGRAM_TOKEN: "", LUCID_NOTIFY_TELEGRAM_CHAT: "", LUCID_NOTIFY_SMTP_URL: "" };
    const s = { ...settings(), env: { ...env(), ...quiet } };
    const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    const setState = (state: "up" | "degraded" | "down") =>
      prisma.healthStatus.upsert({ where: { imageId: image.id }, create: { imageId: image.id, state, since: new Date(), consecutiveFailures: 0, lastSampleAt: new Date() }, update: { state } });
    const change = (state: "up" | "degraded" | "down", reason: string | null = null) => prisma.$transaction((tx) => notifyServiceChanges(tx, [{ imageId: image.id, state, reason }], 0, s.env));

    await setState("degraded");
    await change("degraded", "database: slow");
    await setState("up");
    await change("up");
    // Both channels' deliveries of both events: the state did not hold, and no problem was told.
    expect((await deliverDue(prisma, s)).map((o) => o.status)).toEqual(["superseded", "superseded", "superseded", "superseded"]);
    expect(received).toHaveLength(0);

    await setState("down");
    await change("down", "connection refused");
    await deliverDue(prisma, s);
    // Flapping: down again before a recovery was told says nothing new.
    await change("down", "connection refused");
    expect((await deliverDue(prisma, s)).map((o) => o.status)).toEqual(["superseded", "superseded"]);
    await setState("up");
    await change("up");
    expect((await deliverDue(prisma, s)).map((o) => o.status)).toEqual(["sent", "sent"]);
    expect(received.map((r) => r.path)).toEqual(["/hook", "/slack", "/hook", "/slack"]);
    expect(received.filter((r) => r.path === "/hook").map((r) => JSON.parse(r.body).type)).toEqual(["service.down", "service.recovered"]);
  });

  it("writes a recovery when a degraded service fails and comes back up, though no incident closes on the way up", async () => {
    const prisma = db.prisma;
    const image = await prisma.image.findUniqueOrThrow({ where: { name: "lucid-session-api" } });
    const sample = (outcome: "degraded" | "timeout" | "up", second: number) => ({ imageId: image.id, at: new Date(Date.UTC(2026, 10, 30, 12, 0, second)), outcome, httpStatus: outcome === "timeout" ? null : 200, latencyMs: 5, error: null });
    const e = { ...env(), LUCID_NOTIFY_SLACK_URL: "", LUCID_NOTIFY_DISCORD_URL: "", LUCID_NOTIFY_TEAMS_URL: "", LUCID_NOTIFY_NTFY_URL: "", LUCID_NOTIFY_TELEGRAM_TOKEN: "", LUCID_NOTIFY_TELEGRAM_CHAT: "", LUCID_NOTIFY_SMTP_URL: "" };
    const saved = { ...process.env };
    Object.assign(process.env, e);
    try {
      await recordSamples(prisma, [sample("degraded", 0)], 3, 0);
      await recordSamples(prisma, [sample("timeout", 1)], 3, 0);
      await recordSamples(prisma, [sample("up", 2)], 3, 0);
    } finally {
      for (const key of Object.keys(e)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
    const events = await prisma.notificationEvent.findMany({ where: { image: "lucid-session-api" }, orderBy: { createdAt: "asc" } });
    expect(events.map((ev) => ev.type)).toEqual(["service.degraded", "service.recovered"]);
  });
});
