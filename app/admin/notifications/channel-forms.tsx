"use client";

import { useActionState, useState } from "react";
import { createChannelAction, deleteChannelAction, sendTestAction, toggleChannelAction } from "@/lib/actions/notifications";
import { IDLE } from "@/lib/actions/result";
import { ActionFeedback } from "@/components/ui/action-feedback";
import { CHANNEL_KINDS, KIND_LABELS, type ChannelKind } from "@/lib/notifications/kinds";
import { EVENT_LABELS, EVENT_TYPES } from "@/lib/notifications/events";
import { BUTTON } from "@/components/ui/button";
import { INPUT } from "@/components/ui/field";


type Input = { name: string; label: string; type?: string; placeholder?: string; secret?: boolean; hint?: string };

const FIELDS: Record<ChannelKind, Input[]> = {
  webhook: [
    { name: "url", label: "URL", placeholder: "https://hooks.example.org/lucid", secret: true },
    { name: "signingSecret", label: "Signing secret (16+ characters)", secret: true, hint: "X-Lucid-Signature: t=<unix time>,v1=HMAC-SHA256(secret, t + '.' + body)" },
  ],
  slack: [{ name: "url", label: "Incoming webhook URL", placeholder: "https://hooks.slack.com/services/…", secret: true }],
  discord: [{ name: "url", label: "Webhook URL", placeholder: "https://discord.com/api/webhooks/…", secret: true }],
  teams: [{ name: "url", label: "Workflow webhook URL", placeholder: "https://….logic.azure.com/workflows/…", secret: true }],
  ntfy: [
    { name: "server", label: "Server", placeholder: "https://ntfy.sh" },
    { name: "topic", label: "Topic", placeholder: "lucid-builds" },
    { name: "token", label: "Access token (optional)", secret: true },
  ],
  telegram: [
    { name: "token", label: "Bot token", placeholder: "123456:ABC-…", secret: true },
    { name: "chatId", label: "Chat id", placeholder: "-1001234567890 or @channel" },
  ],
  email: [
    { name: "host", label: "SMTP host", placeholder: "mail.example.org" },
    { name: "port", label: "Port", placeholder: "587" },
    { name: "from", label: "From", placeholder: "dashboard@example.org" },
    { name: "to", label: "To (comma-separated)", placeholder: "team@example.org" },
    { name: "username", label: "Username (optional)" },
    { name: "password", label: "Password (optional)", secret: true },
  ],
};

/** Adds a channel: its kind's fields (secrets as password fields, never shown again), and which events, phases, images. */
export function AddChannelForm() {
  const [state, action, pending] = useActionState(createChannelAction, IDLE);
  const [kind, setKind] = useState<ChannelKind>("webhook");
  return (
    <form action={action} className="mt-4 space-y-4" data-testid="add-channel">
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="block text-xs font-medium text-slate-600 dark:text-slate-300">
          Name
          <input name="name" required maxLength={80} className={INPUT} placeholder="ops chat" />
        </label>
        <label className="block text-xs font-medium text-slate-600 dark:text-slate-300">
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as ChannelKind)} className={INPUT}>
            {CHANNEL_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
          </select>
        </label>
        {FIELDS[kind].map((f) => (
          <label key={`${kind}-${f.name}`} className="block text-xs font-medium text-slate-600 dark:text-slate-300">
            {f.label}
            <input name={f.name} type={f.secret ? "password" : "text"} autoComplete="off" placeholder={f.placeholder} className={INPUT} />
            {f.hint ? <span className="mt-1 block font-normal text-slate-500 dark:text-slate-400">{f.hint}</span> : null}
          </label>
        ))}
        {kind === "email" ? (
          <label className="block text-xs font-medium text-slate-600 dark:text-slate-300">
            Security
            <select name="security" defaultValue="starttls" className={INPUT}>
              <option value="starttls">STARTTLS (port 587)</option>
              <option value="tls">TLS (port 465)</option>
              <option value="none">None (a relay on loopback only)</option>
            </select>
          </label>
        ) : null}
      </div>
      <fieldset>
        <legend className="text-xs font-medium text-slate-600 dark:text-slate-300">Events (none ticked: all)</legend>
        <div className="mt-1 grid gap-1 text-sm sm:grid-cols-2">
          {EVENT_TYPES.filter((t) => t !== "test").map((t) => (
            <label key={t} className="inline-flex items-center gap-2">
              <input type="checkbox" name="events" value={t} className="size-4" /> {EVENT_LABELS[t]}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="block text-xs font-medium text-slate-600 dark:text-slate-300">
          Phases (comma-separated numbers; empty: all)
          <input name="phases" className={INPUT} placeholder="4, 5" />
        </label>
        <label className="block text-xs font-medium text-slate-600 dark:text-slate-300">
          Images (comma-separated names; empty: all)
          <input name="images" className={INPUT} placeholder="lucid-session-api" />
        </label>
      </div>
      <button type="submit" disabled={pending} className={BUTTON.primary}>{pending ? "Adding…" : "Add channel"}</button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function SendTestButton({ channelKey, name }: { channelKey: string; name: string }) {
  const [state, action, pending] = useActionState(sendTestAction, IDLE);
  return (
    <form action={action}>
      <input type="hidden" name="key" value={channelKey} />
      <button type="submit" disabled={pending} className={BUTTON.quiet} aria-label={`Send test to ${name}`}>{pending ? "Sending…" : "Send test"}</button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function ToggleChannelButton({ id, enabled, name }: { id: number; enabled: boolean; name: string }) {
  const [state, action, pending] = useActionState(toggleChannelAction, IDLE);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
      <button type="submit" disabled={pending} className={BUTTON.quiet} aria-label={`${enabled ? "Disable" : "Enable"} ${name}`}>{enabled ? "Disable" : "Enable"}</button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function DeleteChannelButton({ id, name }: { id: number; name: string }) {
  const [state, action, pending] = useActionState(deleteChannelAction, IDLE);
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className={BUTTON.danger} aria-label={`Remove ${name}`}>Remove</button>
      <ActionFeedback state={state} />
    </form>
  );
}
