// Delivers the outbox: claims due deliveries with a lease (a sender that dies mid-send leaves them to be taken again
// once the lease passes: at least once), sends, and records the HTTP status or SMTP reply. Failures are retried with
// backoff and given up after MAX_ATTEMPTS. A service event whose state did not hold is superseded, not sent.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Env } from "@/lib/env";
import { secretFromEnv, storedSecret } from "@/lib/auth/secret";
import { send, type Channel, type ChannelKind, type SendOptions, type SendResult } from "@/lib/notifications/channels";
import { environmentChannels } from "@/lib/notifications/outbox";
import type { NotificationEvent } from "@/lib/notifications/events";
import { openSecrets, SecretsError } from "@/lib/notifications/secrets";
import { takeWriteLock } from "@/lib/db/write-lock";

export const MAX_ATTEMPTS = 6;
/** After attempt n fails, the next is this long after it (then MAX_ATTEMPTS gives up). */
const BACKOFF_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
// A batch is sent one delivery after another, each bounded by its timeout (SMTP has three): the lease covers them all,
// so a second sender never takes a delivery this one is still sending.
const LEASE_MS = 5 * 60_000;
const BATCH = 10;

export type SenderSettings = SendOptions & { backoffMs?: readonly number[]; leaseMs?: number; env?: Env };

export type DeliveryOutcome = { id: number; status: "sent" | "pending" | "gave_up" | "superseded"; result: SendResult | null };

/** Sends every delivery that is due now; returns what happened to each. */
export async function deliverDue(prisma: PrismaClient, settings: SenderSettings = {}, now = new Date()): Promise<DeliveryOutcome[]> {
  const claimed = await claim(prisma, settings.leaseMs ?? LEASE_MS, now);
  const outcomes: DeliveryOutcome[] = [];
  for (const id of claimed) {
    try {
      outcomes.push(await deliverOne(prisma, id, settings));
    } catch (error) {
      // A bug or a database error on one delivery: it is retried like a failed send, and the batch goes on.
      await prisma.notificationDelivery.update({ where: { id }, data: { status: "pending", leaseUntil: null, lastStatus: "error", lastError: String((error as Error).message).slice(0, 300), nextAttemptAt: new Date(Date.now() + 60_000) } });
      outcomes.push({ id, status: "pending", result: null });
    }
  }
  return outcomes;
}

/** Moves due deliveries (pending and due, or sending with a lapsed lease) to "sending" under a lease; one transaction. */
async function claim(prisma: PrismaClient, leaseMs: number, now: Date): Promise<number[]> {
  return prisma.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const due = await tx.notificationDelivery.findMany({
      where: { OR: [{ status: "pending", nextAttemptAt: { lte: now } }, { status: "sending", leaseUntil: { lt: now } }] },
      orderBy: { id: "asc" },
      take: BATCH,
      select: { id: true },
    });
    const ids = due.map((d) => d.id);
    if (ids.length > 0) await tx.notificationDelivery.updateMany({ where: { id: { in: ids } }, data: { status: "sending", leaseUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } } });
    return ids;
  });
}

export async function deliverOne(prisma: PrismaClient, id: number, settings: SenderSettings = {}): Promise<DeliveryOutcome> {
  const delivery = await prisma.notificationDelivery.findUniqueOrThrow({ where: { id }, include: { event: true } });
  const event = delivery.event.payload as unknown as NotificationEvent;
  const finish = async (status: DeliveryOutcome["status"], result: SendResult | null, retryAt: Date | null = null) => {
    await prisma.notificationDelivery.update({
      where: { id },
      data: {
        status,
        leaseUntil: null,
        lastStatus: result?.status ?? null,
        lastAttemptAt: new Date(),
        lastError: result && !result.ok ? result.detail : null,
        ...(status === "sent" ? { sentAt: new Date() } : {}),
        ...(retryAt ? { nextAttemptAt: retryAt } : {}),
      },
    });
    return { id, status, result };
  };
  const skip = await superseded(prisma, event);
  if (skip) return finish("superseded", { ok: true, status: "superseded", detail: skip });
  let channel: Channel | null;
  try {
    channel = await channelByKey(prisma, delivery.channelKey, settings.env ?? process.env);
  } catch (error) {
    if (!(error instanceof SecretsError)) throw error;
    return finish("gave_up", { ok: false, status: "secrets", detail: error.message });
  }
  if (!channel) return finish("gave_up", { ok: false, status: "no channel", detail: `the channel ${delivery.channelName} was removed or disabled` });
  const result = await send(channel, event, settings);
  if (result.ok) {
    await rememberTold(prisma, event);
    return finish("sent", result);
  }
  const backoff = settings.backoffMs ?? BACKOFF_MS;
  // A test is answered to the admin who asked, once: it is not retried in the background.
  if (delivery.attempts >= MAX_ATTEMPTS || event.type === "test") return finish("gave_up", result);
  return finish("pending", result, new Date(Date.now() + (backoff[delivery.attempts - 1] ?? backoff.at(-1)!)));
}

const SERVICE_STATES: Record<string, string> = { "service.down": "down", "service.degraded": "degraded", "service.recovered": "up" };

/**
 * Why a service event is not sent (null: send it). It is told only if the service is still in that state when it is
 * due; a problem only if it is not the one last told (a flapping service says "down" once); "recovered" only after a
 * told problem. The told state carries the event id, so every channel of one event is sent alike.
 */
async function superseded(prisma: PrismaClient, event: NotificationEvent): Promise<string | null> {
  const expected = SERVICE_STATES[event.type];
  if (!expected || !event.image) return null;
  const status = await prisma.healthStatus.findFirst({ where: { image: { name: event.image } }, select: { state: true } });
  if (status?.state !== expected) return `the state did not hold (it is ${status?.state ?? "unknown"} now): not sent`;
  const told = (await prisma.notificationState.findUnique({ where: { key: `service:${event.image}` } }))?.value ?? null;
  const [toldState, toldEvent] = told ? told.split(" ") : [null, null];
  if (toldEvent === event.id) return null;
  if (event.type === "service.recovered") return toldState === "down" || toldState === "degraded" ? null : "no problem was told: a recovery is not news";
  return toldState === expected ? `${expected} was told already` : null;
}

/** What a sent service event told (with its id, for its other channels), for the next one. */
async function rememberTold(prisma: PrismaClient, event: NotificationEvent): Promise<void> {
  const state = SERVICE_STATES[event.type];
  if (!state || !event.image) return;
  const key = `service:${event.image}`;
  const value = `${state} ${event.id}`;
  await prisma.notificationState.upsert({ where: { key }, create: { key, value }, update: { value } });
}

/** The channel a delivery was written for, as it is now: stored ones decrypted, declared ones from the environment. */
export async function channelByKey(prisma: PrismaClient, key: string, env: Env): Promise<Channel | null> {
  if (key.startsWith("db:")) {
    const row = await prisma.notificationChannel.findUnique({ where: { id: Number(key.slice(3)) } });
    if (!row || !row.enabled) return null;
    const secret = secretFromEnv(env) ?? (await storedSecret(prisma));
    return { key, name: row.name, kind: row.kind as ChannelKind, settings: (row.settings ?? {}) as Record<string, unknown>, secrets: openSecrets(row.secrets, secret) };
  }
  return environmentChannels(env).find((c) => c.key === key) ?? null;
}
