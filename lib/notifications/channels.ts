// The channels a message can go to, and how each is sent. Webhook-style channels are one JSON POST each, written
// here with fetch (a client library per service, e.g. @slack/webhook, would add a dependency per kind and hide the
// redirect, timeout and read limits every request must have); e-mail goes through nodemailer.
import { createHmac } from "node:crypto";
import { z } from "zod";
import nodemailer from "nodemailer";
import type { NotificationEvent } from "@/lib/notifications/events";

import type { ChannelKind } from "@/lib/notifications/kinds";

export { CHANNEL_KINDS, KIND_LABELS, type ChannelKind } from "@/lib/notifications/kinds";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** What each kind needs: `settings` are shown, `secrets` are write-only (stored encrypted). */
export const CHANNEL_SCHEMAS = {
  webhook: { settings: z.object({}), secrets: z.object({ url: httpUrl, secret: z.string().min(16, "the signing secret must be at least 16 characters") }) },
  slack: { settings: z.object({}), secrets: z.object({ url: httpUrl }) },
  discord: { settings: z.object({}), secrets: z.object({ url: httpUrl }) },
  teams: { settings: z.object({}), secrets: z.object({ url: httpUrl }) },
  ntfy: { settings: z.object({ server: httpUrl, topic: z.string().regex(/^[\w-]{1,64}$/, "the topic is letters, digits, - and _") }), secrets: z.object({ token: z.string().optional() }) },
  telegram: { settings: z.object({ chatId: z.string().regex(/^-?\d+$|^@\w+$/, "the chat id is a number or @channel") }), secrets: z.object({ token: z.string().regex(/^\d+:[\w-]+$/, "a bot token looks like 123456:ABC-…") }) },
  email: {
    settings: z
      .object({
        host: z.string().min(1),
        port: z.coerce.number().int().min(1).max(65_535),
        security: z.enum(["starttls", "tls", "none"]),
        from: z.email(),
        to: z.array(z.email()).min(1, "at least one recipient"),
        username: z.string().optional(),
      })
      // A password must not cross a network in clear: no TLS only for a relay on this machine.
      .refine((s) => s.security !== "none" || /^(localhost|::1|127\.[\d.]+)$/.test(s.host), {
        path: ["security"],
        message: "an SMTP server without TLS is allowed on loopback only (a local relay); use STARTTLS or TLS",
      }),
    secrets: z.object({ password: z.string().optional() }),
  },
} as const;

export type ParsedFields =
  | { ok: true; settings: Record<string, unknown>; secrets: Record<string, unknown> }
  /** `field`: the path of the wrong value ("" for the whole object); `part`: which of the two it is in. */
  | { ok: false; part: "settings" | "secrets"; field: string; problem: string };

/** A kind's settings and secrets checked against its schema, wherever they come from (form, environment, file). */
export function parseChannelFields(kind: ChannelKind, settings: unknown, secrets: unknown): ParsedFields {
  const schema = CHANNEL_SCHEMAS[kind];
  const s = schema.settings.safeParse(settings);
  const x = schema.secrets.safeParse(secrets);
  const issue = !s.success ? s.error.issues[0] : !x.success ? x.error.issues[0] : null;
  if (issue || !s.success || !x.success) return { ok: false, part: s.success ? "secrets" : "settings", field: issue?.path.join(".") ?? "", problem: issue?.message ?? "invalid" };
  return { ok: true, settings: s.data as Record<string, unknown>, secrets: x.data as Record<string, unknown> };
}

export type Channel = {
  /** "db:12" for a channel added in the dashboard, "env:slack" or "file:ops-team" for one declared as code. */
  key: string;
  name: string;
  kind: ChannelKind;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
};

export type SendResult = { ok: boolean; status: string; detail: string | null };

export type SendOptions = { timeoutMs?: number; fetch?: typeof fetch; telegramApi?: string };

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_READ_BYTES = 64 * 1024;
const MAX_REDIRECTS = 3;

export async function send(channel: Channel, event: NotificationEvent, options: SendOptions = {}): Promise<SendResult> {
  if (channel.kind === "email") return sendEmail(channel, event, options);
  const request = httpRequest(channel, event, options);
  return post(request.url, request.headers, request.body, options);
}

type HttpRequest = { url: string; headers: Record<string, string>; body: string };

/** The request each webhook-style channel gets: what the golden-payload tests check. */
export function httpRequest(channel: Channel, event: NotificationEvent, options: SendOptions = {}): HttpRequest {
  const json = { "content-type": "application/json" };
  const link = /^https?:\/\//.test(event.url) ? event.url : null;
  switch (channel.kind) {
    case "webhook": {
      const body = JSON.stringify(event);
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac("sha256", String(channel.secrets.secret)).update(`${timestamp}.${body}`).digest("hex");
      return {
        url: String(channel.secrets.url),
        headers: { ...json, "x-lucid-event": event.type, "x-lucid-event-id": event.id, "x-lucid-signature": `t=${timestamp},v1=${signature}` },
        body,
      };
    }
    case "slack":
      return {
        url: String(channel.secrets.url),
        headers: json,
        body: JSON.stringify({
          text: slackEscape(`${event.title}: ${event.text}`),
          blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${slackEscape(event.title)}*\n${slackEscape(event.text)}${link ? `\n<${link}|Open in the dashboard>` : ""}` } }],
        }),
      };
    case "discord":
      return {
        url: String(channel.secrets.url),
        headers: json,
        body: JSON.stringify({
          username: "Lucid Build Dashboard",
          allowed_mentions: { parse: [] },
          embeds: [{ title: event.title.slice(0, 256), description: event.text.slice(0, 4000), ...(link ? { url: link } : {}), color: COLORS[tone(event)], timestamp: event.at }],
        }),
      };
    case "teams":
      return {
        url: String(channel.secrets.url),
        headers: json,
        body: JSON.stringify({
          type: "message",
          attachments: [
            {
              contentType: "application/vnd.microsoft.card.adaptive",
              contentUrl: null,
              content: {
                $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
                type: "AdaptiveCard",
                version: "1.4",
                body: [
                  { type: "TextBlock", text: event.title, weight: "Bolder", size: "Medium", wrap: true, color: tone(event) === "bad" ? "Attention" : tone(event) === "good" ? "Good" : "Default" },
                  { type: "TextBlock", text: event.text, wrap: true },
                ],
                actions: link ? [{ type: "Action.OpenUrl", title: "Open in the dashboard", url: link }] : [],
              },
            },
          ],
        }),
      };
    case "ntfy": {
      const server = String(channel.settings.server).replace(/\/+$/, "");
      const headers: Record<string, string> = {
        "content-type": "text/plain; charset=utf-8",
        // HTTP headers are Latin-1: ntfy reads RFC 2047 encoded words for anything else.
        title: `=?UTF-8?B?${Buffer.from(event.title).toString("base64")}?=`,
        tags: tone(event) === "bad" ? "rotating_light" : tone(event) === "good" ? "white_check_mark" : "information_source",
        priority: tone(event) === "bad" ? "high" : "default",
        ...(link ? { click: link } : {}),
        ...(channel.secrets.token ? { authorization: `Bearer ${String(channel.secrets.token)}` } : {}),
      };
      return { url: `${server}/${String(channel.settings.topic)}`, headers, body: event.text };
    }
    case "telegram": {
      const api = (options.telegramApi ?? "https://api.telegram.org").replace(/\/+$/, "");
      return {
        url: `${api}/bot${String(channel.secrets.token)}/sendMessage`,
        headers: json,
        body: JSON.stringify({ chat_id: String(channel.settings.chatId), text: `${event.title}\n${event.text}${link ? `\n${link}` : ""}`, disable_web_page_preview: true }),
      };
    }
    case "email":
      throw new Error("e-mail is not an HTTP channel");
  }
}

type Tone = "bad" | "good" | "info";
const COLORS: Record<Tone, number> = { bad: 0xe11d48, good: 0x059669, info: 0x0284c7 };

function tone(event: NotificationEvent): Tone {
  if (["build.failed", "service.down", "service.degraded", "deployment.drift", "compliance.worse"].includes(event.type)) return "bad";
  if (event.type === "build.fixed" || event.type === "service.recovered") return "good";
  return "info";
}

function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * One POST with a deadline, at most MAX_READ_BYTES of the answer read, and redirects followed only on the same
 * origin (a webhook URL an admin typed must not send the event, or its signature, to another host).
 */
export async function post(url: string, headers: Record<string, string>, body: string, options: SendOptions = {}): Promise<SendResult> {
  const fetcher = options.fetch ?? globalThis.fetch;
  const deadline = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  let target = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await fetcher(target, { method: "POST", headers, body, redirect: "manual", signal: deadline });
    } catch (error) {
      const name = (error as Error).name;
      if (name === "TimeoutError" || name === "AbortError") return { ok: false, status: "timeout", detail: `no answer within ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s` };
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, status: "unreachable", detail: `could not reach ${target.host}${cause ? ` (${cause})` : ""}` };
    }
    const text = await readCapped(response);
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      let next: URL | null = null;
      try {
        next = location ? new URL(location, target) : null;
      } catch {
        return { ok: false, status: `HTTP ${response.status}`, detail: "redirected to an invalid location; not followed" };
      }
      if (!next || next.origin !== target.origin) return { ok: false, status: `HTTP ${response.status}`, detail: `redirected to ${next?.host ?? "nowhere"}; not followed to another host` };
      target = next;
      continue;
    }
    return { ok: response.ok, status: `HTTP ${response.status}`, detail: response.ok ? null : text.slice(0, 300) || null };
  }
  return { ok: false, status: "redirects", detail: `more than ${MAX_REDIRECTS} redirects` };
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      chunks.push(chunk.value);
      total += chunk.value.byteLength;
      if (total >= MAX_READ_BYTES) {
        await reader.cancel().catch(() => undefined);
        break;
      }
    }
  } catch {
    // A body cut off mid-way: what arrived is enough for the log.
  }
  return Buffer.concat(chunks).subarray(0, MAX_READ_BYTES).toString("utf8");
}

async function sendEmail(channel: Channel, event: NotificationEvent, options: SendOptions): Promise<SendResult> {
  const s = channel.settings as { host: string; port: number; security: "starttls" | "tls" | "none"; from: string; to: string[]; username?: string };
  const password = channel.secrets.password ? String(channel.secrets.password) : undefined;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.security === "tls",
    requireTLS: s.security === "starttls",
    ignoreTLS: s.security === "none",
    auth: s.username ? { user: s.username, pass: password } : undefined,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    const info = await transport.sendMail({
      from: s.from,
      to: s.to,
      subject: `[Lucid] ${event.title}`,
      text: `${event.text}\n\n${event.url}\n\nEvent ${event.id} (${event.type}) at ${event.at}`,
      headers: { "X-Lucid-Event-Id": event.id, "X-Lucid-Event": event.type },
    });
    return { ok: true, status: `SMTP ${String(info.response).slice(0, 3)}`, detail: String(info.response).slice(0, 300) };
  } catch (error) {
    const e = error as { responseCode?: number; response?: string; code?: string; message: string };
    return { ok: false, status: e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? "SMTP error"), detail: (e.response ?? e.message).slice(0, 300) };
  } finally {
    transport.close();
  }
}
