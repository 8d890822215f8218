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

export const MAX_ATTEMPTS = 6;
/** After attempt n fails, the next is this long after it (then MAX_ATTEMPTS gives up). */
const BACKOFF_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];
const LEASE_MS = 60_000;
const BATCH = 20;

export type SenderSettings = SendOptions & { backoffMs?: readonly number[]; leaseMs?: number; env?: Env };

export type DeliveryOutcome = { id: number; status: "sent" | "pending" | "gave_up" | "superseded"; result: SendResult | null };

/** Sends every delivery that is due now; returns what happened to each. */
export async function deliverDue(prisma: PrismaClient, settings: SenderSettings = {}, now = new Date()): Promise<DeliveryOutcome[]> {
  const claimed = await claim(prisma, settings.leaseMs ?? LEASE_MS, now);
  const outcomes: DeliveryOutcome[] = [];
  for (const id of claimed) outcomes.push(await deliverOne(prisma, id, settings));
  return outcomes;
}

/** Moves due deliveries (pending and due, or sending with a lapsed lease) to "sending" under a lease; one transaction. */
async function claim(prisma: PrismaClient, leaseMs: number, now: Date): Promise<number[]> {
  return prisma.$transaction(async (tx) => {
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
        lastError: result && !result.ok ? result.detail : null,
        ...(status === "sent" ? { sentAt: new Date() } : {}),
        ...(retryAt ? { nextAttemptAt: retryAt } : {}),
      },
    });
    return { id, status, result };
  };
  if (await superseded(prisma, event)) return finish("superseded", { ok: true, status: "superseded", detail: "the state did not hold: not sent" });
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
  if (delivery.attempts >= MAX_ATTEMPTS) return finish("gave_up", result);
  return finish("pending", result, new Date(Date.now() + (backoff[delivery.attempts - 1] ?? backoff.at(-1)!)));
}

const SERVICE_STATES: Record<string, string> = { "service.down": "down", "service.degraded": "degraded", "service.recovered": "up" };

/**
 * A service event is told only if the service is still in that state when it is due, and "recovered" only after its
 * problem was told (on this channel or another): a service that flapped and came back says nothing.
 */
async function superseded(prisma: PrismaClient, event: NotificationEvent): Promise<boolean> {
  const expected = SERVICE_STATES[event.type];
  if (!expected || !event.image) return false;
  const status = await prisma.healthStatus.findFirst({ where: { image: { name: event.image } }, select: { state: true } });
  if (status?.state !== expected) return true;
  if (event.type !== "service.recovered") return false;
  const told = await prisma.notificationState.findUnique({ where: { key: `service:${event.image}` } });
  return told?.value !== "down" && told?.value !== "degraded";
}

/** What a sent service event told, for the next "recovered". */
async function rememberTold(prisma: PrismaClient, event: NotificationEvent): Promise<void> {
  const state = SERVICE_STATES[event.type];
  if (!state || !event.image) return;
  const key = `service:${event.image}`;
  await prisma.notificationState.upsert({ where: { key }, create: { key, value: state }, update: { value: state } });
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

/** The process's sender: every LUCID_NOTIFY_INTERVAL_S seconds (default 5), and at once when kicked. */
export class NotificationSender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly intervalMs: number,
    private readonly settings: SenderSettings = {},
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  kick(): void {
    this.running ??= deliverDue(this.prisma, this.settings)
      .catch((error: unknown) => console.error(`notifications: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
  }
}
