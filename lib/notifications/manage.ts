// Channels added on the admin page: validated per kind, secrets sealed, every change audited; and what the page
// shows: every channel (declared ones read-only, secrets never), and the delivery log.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { audit, type Actor } from "@/lib/audit/audit";
import type { Env } from "@/lib/env";
import { secretFromEnv, storedSecret } from "@/lib/auth/secret";
import { CHANNEL_KINDS, CHANNEL_SCHEMAS, parseChannelFields, type ChannelKind } from "@/lib/notifications/channels";
import { configuredChannels, ChannelConfigError } from "@/lib/notifications/config";
import { EVENT_TYPES, linkTo, type NotificationEvent } from "@/lib/notifications/events";
import { jsonList } from "@/lib/notifications/json";
import { sealSecrets, openSecrets } from "@/lib/notifications/secrets";
import { deliverOne, type DeliveryOutcome, type SenderSettings } from "@/lib/notifications/sender";

export class ChannelError extends Error {
  override name = "ChannelError";
}

const rulesSchema = z.object({
  events: z.array(z.enum(EVENT_TYPES)).default([]),
  phases: z.array(z.number().int().min(1).max(99)).default([]),
  images: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "an image name from the plan")).default([]),
});
export type ChannelRules = z.infer<typeof rulesSchema>;

export type ChannelInput = { name: string; kind: string; settings: Record<string, unknown>; secrets: Record<string, unknown> } & Partial<ChannelRules>;

async function serverSecret(prisma: PrismaClient, env: Env): Promise<string> {
  return secretFromEnv(env) ?? (await storedSecret(prisma));
}

function validated(kind: ChannelKind, settings: unknown, secrets: unknown): { settings: Record<string, unknown>; secrets: Record<string, unknown> } {
  const parsed = parseChannelFields(kind, settings, secrets);
  if (!parsed.ok) throw new ChannelError(`${parsed.field || parsed.part}: ${parsed.problem}`);
  return parsed;
}

export async function createChannel(prisma: PrismaClient, input: ChannelInput, actor: Actor, env: Env = process.env): Promise<number> {
  const name = input.name.trim();
  if (!/^[\w .()-]{1,80}$/.test(name)) throw new ChannelError("name: 1 to 80 letters, digits, spaces and . _ ( ) -");
  if (!(CHANNEL_KINDS as readonly string[]).includes(input.kind)) throw new ChannelError(`kind: one of ${CHANNEL_KINDS.join(", ")}`);
  const kind = input.kind as ChannelKind;
  const { settings, secrets } = validated(kind, input.settings, input.secrets);
  const rules = rulesSchema.parse({ events: input.events, phases: input.phases, images: input.images });
  const sealed = sealSecrets(secrets, await serverSecret(prisma, env));
  return prisma.$transaction(async (tx) => {
    if (await tx.notificationChannel.findUnique({ where: { name } })) throw new ChannelError(`a channel named ${JSON.stringify(name)} exists already`);
    const row = await tx.notificationChannel.create({ data: { name, kind, enabled: true, settings: settings as object, secrets: sealed, ...rules } });
    // The audit names what changed, never a secret.
    await audit(actor, "notify.channel_create", `channel ${name}`, { kind, settings, secretsSet: Object.keys(secrets).filter((k) => secrets[k]), ...rules }, tx);
    return row.id;
  });
}

/** New rules, enabled or not, and (when given) new secrets; a secret left blank keeps the stored one. */
export async function updateChannel(prisma: PrismaClient, id: number, change: Partial<ChannelRules> & { enabled?: boolean; secrets?: Record<string, unknown> }, actor: Actor, env: Env = process.env): Promise<void> {
  const row = await prisma.notificationChannel.findUnique({ where: { id } });
  if (!row) throw new ChannelError("that channel does not exist");
  const rules = rulesSchema.partial().parse({ events: change.events, phases: change.phases, images: change.images });
  let sealed: string | undefined;
  const given = Object.fromEntries(Object.entries(change.secrets ?? {}).filter(([, v]) => typeof v === "string" && v !== ""));
  if (Object.keys(given).length > 0) {
    const secret = await serverSecret(prisma, env);
    let current: Record<string, unknown> = {};
    try {
      current = openSecrets(row.secrets, secret);
    } catch {
      // Sealed with another server secret: what is given now replaces it.
    }
    sealed = sealSecrets(validated(row.kind as ChannelKind, row.settings, { ...current, ...given }).secrets, secret);
  }
  await prisma.$transaction(async (tx) => {
    await tx.notificationChannel.update({
      where: { id },
      data: { ...Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined)), ...(change.enabled !== undefined ? { enabled: change.enabled } : {}), ...(sealed ? { secrets: sealed } : {}) },
    });
    await audit(actor, "notify.channel_update", `channel ${row.name}`, { ...rules, enabled: change.enabled, secretsReplaced: Object.keys(given) }, tx);
  });
}

export async function deleteChannel(prisma: PrismaClient, id: number, actor: Actor): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const row = await tx.notificationChannel.findUnique({ where: { id } });
    if (!row) throw new ChannelError("that channel does not exist");
    await tx.notificationChannel.delete({ where: { id } });
    await audit(actor, "notify.channel_delete", `channel ${row.name}`, { kind: row.kind }, tx);
  });
}

/** Sends a test message to one channel now (through the outbox, so it shows in the delivery log) and says what happened. */
export async function sendTest(prisma: PrismaClient, key: string, actor: Actor, env: Env = process.env, settings: SenderSettings = {}): Promise<DeliveryOutcome> {
  const channel = (await listChannels(prisma, env)).find((c) => c.key === key);
  if (!channel) throw new ChannelError("that channel does not exist");
  const event: NotificationEvent = {
    id: randomUUID(),
    type: "test",
    at: new Date().toISOString(),
    title: "Test message from the Lucid Build Dashboard",
    text: `Sent by ${actor} to check the channel "${channel.name}".`,
    url: linkTo("/admin/notifications", env.LUCID_PUBLIC_URL?.trim() || null),
    image: null,
    phase: null,
    data: {},
  };
  const delivery = await prisma.$transaction(async (tx) => {
    await tx.notificationEvent.create({ data: { id: event.id, type: event.type, payload: JSON.parse(JSON.stringify(event)) } });
    await audit(actor, "notify.test", `channel ${channel.name}`, { key }, tx);
    return tx.notificationDelivery.create({ data: { eventId: event.id, channelKey: key, channelName: channel.name, status: "sending", attempts: 1, nextAttemptAt: new Date(), leaseUntil: new Date(Date.now() + 60_000) } });
  });
  return deliverOne(prisma, delivery.id, { ...settings, env, backoffMs: [0] });
}

export type ChannelView = {
  key: string;
  id: number | null;
  name: string;
  kind: ChannelKind;
  source: "environment" | "file" | "dashboard";
  enabled: boolean;
  /** What may be shown: the settings, and which secrets are set (never their values). */
  settings: Record<string, unknown>;
  secretsSet: string[];
} & ChannelRules;

/** Every channel: declared ones (read-only) and stored ones; a wrong declaration is said, not thrown. */
export async function listChannels(prisma: PrismaClient, env: Env = process.env): Promise<ChannelView[]> {
  const stored = await prisma.notificationChannel.findMany({ orderBy: { name: "asc" } });
  const views: ChannelView[] = stored.map((c) => ({
    key: `db:${c.id}`,
    id: c.id,
    name: c.name,
    kind: c.kind as ChannelKind,
    source: "dashboard",
    enabled: c.enabled,
    settings: (c.settings ?? {}) as Record<string, unknown>,
    secretsSet: Object.keys(CHANNEL_SCHEMAS[c.kind as ChannelKind]?.secrets.shape ?? {}),
    events: jsonList(c.events) as ChannelRules["events"],
    phases: jsonList(c.phases).map(Number),
    images: jsonList(c.images).map(String),
  }));
  for (const c of declaredChannels(env).channels) {
    views.push({ key: c.key, id: null, name: c.name, kind: c.kind, source: c.source === "file" ? "file" : "environment", enabled: true, settings: c.settings, secretsSet: Object.keys(c.secrets).filter((k) => c.secrets[k]), events: c.events, phases: c.phases, images: c.images });
  }
  return views;
}

export function declaredChannels(env: Env = process.env): { channels: ReturnType<typeof configuredChannels>; problem: string | null } {
  try {
    return { channels: configuredChannels(env), problem: null };
  } catch (error) {
    if (error instanceof ChannelConfigError) return { channels: [], problem: error.message };
    throw error;
  }
}

export type DeliveryView = { id: number; at: string; channel: string; type: string; title: string; status: string; attempts: number; lastStatus: string | null; lastError: string | null; eventId: string };

/** The last deliveries, newest first: of every channel, or of one (by its key). */
export async function deliveryLog(prisma: PrismaClient, take = 100, channelKey: string | null = null): Promise<DeliveryView[]> {
  const rows = await prisma.notificationDelivery.findMany({
    where: channelKey ? { channelKey } : {},
    orderBy: { id: "desc" },
    take,
    include: { event: { select: { type: true, payload: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    at: (r.lastAttemptAt ?? r.createdAt).toISOString(),
    channel: r.channelName,
    type: r.event.type,
    title: String((r.event.payload as { title?: unknown }).title ?? r.event.type),
    status: r.status,
    attempts: r.attempts,
    lastStatus: r.lastStatus,
    lastError: r.lastError,
    eventId: r.eventId,
  }));
}
