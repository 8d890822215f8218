// The process's notification sender and watcher (started in instrumentation.ts), kept on globalThis: the
// instrumentation and the app's routes load their own copies of modules, and "Send test" kicks the same sender.
import { prisma } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { NotificationSender } from "@/lib/notifications/sender";
import { NotificationWatcher } from "@/lib/commands/notify-watch";

const slot = globalThis as unknown as { lucidNotificationSender?: NotificationSender; lucidNotificationWatcher?: NotificationWatcher };

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3_600) throw new Error(`${name} must be a whole number of seconds from 1 to 3600; got "${raw}"`);
  return n;
}

export function notificationSender(env: Env = process.env): NotificationSender {
  slot.lucidNotificationSender ??= new NotificationSender(prisma, seconds(env, "LUCID_NOTIFY_INTERVAL_S", 5) * 1000, { telegramApi: env.LUCID_TELEGRAM_API_URL?.trim() || undefined });
  return slot.lucidNotificationSender;
}

export function notificationWatcher(env: Env = process.env): NotificationWatcher {
  slot.lucidNotificationWatcher ??= new NotificationWatcher(seconds(env, "LUCID_NOTIFY_WATCH_S", 60) * 1000);
  return slot.lucidNotificationWatcher;
}
