// The outbox: an event and its deliveries are written in the transaction of what they report (a build's outcome, a
// health state, a base digest), so a notification is never lost and never sent for something that did not happen.
// The sender (sender.ts) delivers them afterwards, at least once; receivers dedupe on the event id.
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Env } from "@/lib/env";
import { ChannelConfigError, configuredChannels, matches, type ConfiguredChannel } from "@/lib/notifications/config";
import { linkTo, type EventType, type NotificationEvent } from "@/lib/notifications/events";
import { jsonList } from "@/lib/notifications/json";

export type Tx = Prisma.TransactionClient;

export type EmitInput = {
  type: EventType;
  title: string;
  text: string;
  /** The dashboard page, e.g. /builds/42. */
  path: string;
  image?: string | null;
  phase?: number | null;
  data?: Record<string, unknown>;
  /** Send no earlier than this long after now (a state must hold before it is told). */
  holdMs?: number;
};

/** Channels the environment declares; a wrong variable is said once and sends nothing, it never fails what emits. */
export function environmentChannels(env: Env = process.env): ConfiguredChannel[] {
  try {
    return configuredChannels(env);
  } catch (error) {
    if (!(error instanceof ChannelConfigError)) throw error;
    warnOnce(error.message);
    return [];
  }
}

let warned: string | null = null;
function warnOnce(message: string): void {
  if (warned === message) return;
  warned = message;
  console.error(`notifications: ${message}; the channels declared in the environment send nothing until it is fixed`);
}

/** Writes the event and one delivery per channel whose rules let it through; returns its id, or null when none does. */
export async function emit(tx: Tx, input: EmitInput, env: Env = process.env, now = new Date()): Promise<string | null> {
  const stored = await tx.notificationChannel.findMany({ where: { enabled: true }, select: { id: true, name: true, events: true, phases: true, images: true } });
  const channels = [
    ...stored.map((c) => ({ key: `db:${c.id}`, name: c.name, events: jsonList(c.events) as EventType[], phases: jsonList(c.phases).map(Number), images: jsonList(c.images).map(String) })),
    ...environmentChannels(env).map((c) => ({ key: c.key, name: c.name, events: c.events, phases: c.phases, images: c.images })),
  ];
  const event: NotificationEvent = {
    id: randomUUID(),
    type: input.type,
    at: now.toISOString(),
    title: input.title,
    text: input.text,
    url: linkTo(input.path, env.LUCID_PUBLIC_URL?.trim() || null),
    image: input.image ?? null,
    phase: input.phase ?? null,
    data: input.data ?? {},
  };
  const targets = channels.filter((c) => matches(c, event));
  if (targets.length === 0) return null;
  await tx.notificationEvent.create({ data: { id: event.id, type: event.type, image: event.image, phase: event.phase, payload: JSON.parse(JSON.stringify(event)) } });
  const at = new Date(now.getTime() + (input.holdMs ?? 0));
  await tx.notificationDelivery.createMany({ data: targets.map((c) => ({ eventId: event.id, channelKey: c.key, channelName: c.name, status: "pending", nextAttemptAt: at })) });
  return event.id;
}

/** The last value told for a subject ("build:12" → "failing"), and setting it; in the caller's transaction. */
export async function toldState(tx: Tx, key: string): Promise<string | null> {
  return (await tx.notificationState.findUnique({ where: { key } }))?.value ?? null;
}

export async function setToldState(tx: Tx, key: string, value: string): Promise<void> {
  await tx.notificationState.upsert({ where: { key }, create: { key, value }, update: { value } });
}
