// The process's notification sender and watcher (started in instrumentation.ts), kept on globalThis: the
// instrumentation and the app's routes load their own copies of modules, and "Send test" kicks the same sender.
import { prisma } from "@/lib/db/client";
import type { Env } from "@/lib/env";
import { PeriodicTask } from "@/lib/concurrency";
import { deliverDue } from "@/lib/notifications/sender";
import { watchOnce } from "@/lib/commands/notify-watch";

const slot = globalThis as unknown as { lucidNotificationSender?: PeriodicTask; lucidNotificationWatcher?: PeriodicTask };

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 3_600) throw new Error(`${name} must be a whole number of seconds from 1 to 3600; got "${raw}"`);
  return n;
}

/** Delivers the outbox every LUCID_NOTIFY_INTERVAL_S seconds (default 5), and at once when kicked. */
export function notificationSender(env: Env = process.env): PeriodicTask {
  const settings = { telegramApi: env.LUCID_TELEGRAM_API_URL?.trim() || undefined };
  slot.lucidNotificationSender ??= new PeriodicTask("notifications", () => deliverDue(prisma, settings), seconds(env, "LUCID_NOTIFY_INTERVAL_S", 5) * 1000);
  return slot.lucidNotificationSender;
}

/** Judges drift and compliance every LUCID_NOTIFY_WATCH_S seconds (default 60). */
export function notificationWatcher(env: Env = process.env): PeriodicTask {
  slot.lucidNotificationWatcher ??= new PeriodicTask("notifications", () => watchOnce(prisma, env), seconds(env, "LUCID_NOTIFY_WATCH_S", 60) * 1000);
  return slot.lucidNotificationWatcher;
}
