// Channels declared as code, for teams that keep configuration in git: one variable (or pair) per kind, or a JSON
// file (LUCID_NOTIFY_FILE) of channels with their rules. Shown read-only on the admin page; never stored.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Env } from "@/lib/env";
import { CHANNEL_KINDS, parseChannelFields, type Channel, type ChannelKind } from "@/lib/notifications/channels";
import { EVENT_TYPES, type EventType } from "@/lib/notifications/events";

export type Rules = { events: EventType[]; phases: number[]; images: string[] };

export type ConfiguredChannel = Channel & Rules & { source: "environment" | "file" | "dashboard"; enabled: boolean };

export class ChannelConfigError extends Error {
  override name = "ChannelConfigError";
}

const ALL: Rules = { events: [], phases: [], images: [] };

/** Every channel the environment declares; throws ChannelConfigError naming the variable that is wrong. */
export function configuredChannels(env: Env = process.env): ConfiguredChannel[] {
  const channels: ConfiguredChannel[] = [];
  const add = (kind: ChannelKind, name: string, settings: Record<string, unknown>, secrets: Record<string, unknown>, variable: string) => {
    const parsed = parseChannelFields(kind, settings, secrets);
    if (!parsed.ok) throw new ChannelConfigError(`${variable}: ${parsed.field || kind} ${parsed.problem}`);
    channels.push({ key: `env:${kind}`, name, kind, settings: parsed.settings, secrets: parsed.secrets, source: "environment", enabled: true, ...ALL });
  };
  const v = (name: string) => env[name]?.trim() || undefined;
  if (v("LUCID_NOTIFY_WEBHOOK_URL")) {
    add("webhook", "webhook (environment)", {}, { url: v("LUCID_NOTIFY_WEBHOOK_URL"), secret: v("LUCID_NOTIFY_WEBHOOK_SECRET") }, "LUCID_NOTIFY_WEBHOOK_URL / LUCID_NOTIFY_WEBHOOK_SECRET");
  }
  if (v("LUCID_NOTIFY_SLACK_URL")) add("slack", "Slack (environment)", {}, { url: v("LUCID_NOTIFY_SLACK_URL") }, "LUCID_NOTIFY_SLACK_URL");
  if (v("LUCID_NOTIFY_DISCORD_URL")) add("discord", "Discord (environment)", {}, { url: v("LUCID_NOTIFY_DISCORD_URL") }, "LUCID_NOTIFY_DISCORD_URL");
  if (v("LUCID_NOTIFY_TEAMS_URL")) add("teams", "Teams (environment)", {}, { url: v("LUCID_NOTIFY_TEAMS_URL") }, "LUCID_NOTIFY_TEAMS_URL");
  if (v("LUCID_NOTIFY_NTFY_URL")) {
    const url = v("LUCID_NOTIFY_NTFY_URL")!;
    const slash = url.replace(/\/+$/, "").lastIndexOf("/");
    add("ntfy", "ntfy (environment)", { server: url.slice(0, slash), topic: url.slice(slash + 1).replace(/\/+$/, "") }, { token: v("LUCID_NOTIFY_NTFY_TOKEN") }, "LUCID_NOTIFY_NTFY_URL (server/topic)");
  }
  if (v("LUCID_NOTIFY_TELEGRAM_TOKEN") || v("LUCID_NOTIFY_TELEGRAM_CHAT")) {
    add("telegram", "Telegram (environment)", { chatId: v("LUCID_NOTIFY_TELEGRAM_CHAT") }, { token: v("LUCID_NOTIFY_TELEGRAM_TOKEN") }, "LUCID_NOTIFY_TELEGRAM_TOKEN / LUCID_NOTIFY_TELEGRAM_CHAT");
  }
  if (v("LUCID_NOTIFY_SMTP_URL")) add("email", "E-mail (environment)", ...smtpFromUrl(v("LUCID_NOTIFY_SMTP_URL")!, v("LUCID_NOTIFY_EMAIL_FROM"), v("LUCID_NOTIFY_EMAIL_TO")), "LUCID_NOTIFY_SMTP_URL / LUCID_NOTIFY_EMAIL_FROM / LUCID_NOTIFY_EMAIL_TO");
  if (v("LUCID_NOTIFY_FILE")) channels.push(...fileChannels(v("LUCID_NOTIFY_FILE")!));
  return channels;
}

/** smtp://user:pass@host:587 (STARTTLS), smtps://…:465 (TLS); ?security=none only for a relay on loopback. */
function smtpFromUrl(value: string, from: string | undefined, to: string | undefined): [Record<string, unknown>, Record<string, unknown>] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ChannelConfigError("LUCID_NOTIFY_SMTP_URL is not a URL such as smtp://user:password@mail.example.org:587");
  }
  const tls = url.protocol === "smtps:";
  const security = url.searchParams.get("security") ?? (tls ? "tls" : "starttls");
  return [
    { host: url.hostname, port: Number(url.port || (tls ? 465 : 587)), security, from, to: (to ?? "").split(",").map((t) => t.trim()).filter(Boolean), username: url.username ? decodeURIComponent(url.username) : undefined },
    { password: url.password ? decodeURIComponent(url.password) : undefined },
  ];
}

const fileChannel = z.object({
  name: z.string().min(1).max(80),
  kind: z.enum(CHANNEL_KINDS),
  settings: z.record(z.string(), z.unknown()).default({}),
  secrets: z.record(z.string(), z.unknown()).default({}),
  events: z.array(z.enum(EVENT_TYPES)).default([]),
  phases: z.array(z.number().int()).default([]),
  images: z.array(z.string()).default([]),
});

function fileChannels(file: string): ConfiguredChannel[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    // Not the parser's message: it quotes the text around the error, which may be part of a secret.
    throw new ChannelConfigError(`LUCID_NOTIFY_FILE ${file} cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? "not valid JSON"})`);
  }
  const parsed = z.object({ channels: z.array(fileChannel).max(50) }).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ChannelConfigError(`LUCID_NOTIFY_FILE ${file}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return parsed.data.channels.map((c) => {
    const parsed = parseChannelFields(c.kind, c.settings, c.secrets);
    if (!parsed.ok) throw new ChannelConfigError(`LUCID_NOTIFY_FILE ${file}: channel ${JSON.stringify(c.name)}: ${parsed.field} ${parsed.problem}`);
    return { key: `file:${c.name}`, name: c.name, kind: c.kind, settings: parsed.settings, secrets: parsed.secrets, source: "file" as const, enabled: true, events: c.events, phases: c.phases, images: c.images };
  });
}

/** Whether a channel's rules let an event through: every list empty means everything. */
export function matches(rules: Rules, event: { type: EventType; phase: number | null; image: string | null }): boolean {
  if (event.type === "test") return false;
  if (rules.events.length > 0 && !rules.events.includes(event.type)) return false;
  if (rules.phases.length > 0 && (event.phase === null || !rules.phases.includes(event.phase))) return false;
  if (rules.images.length > 0 && (event.image === null || !rules.images.includes(event.image))) return false;
  return true;
}
