// The channel kinds and their names: no Node.js imports, so forms in the browser can list them.
export const CHANNEL_KINDS = ["webhook", "slack", "discord", "teams", "ntfy", "telegram", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const KIND_LABELS: Record<ChannelKind, string> = {
  webhook: "Webhook (JSON, signed)",
  slack: "Slack incoming webhook",
  discord: "Discord webhook",
  teams: "Microsoft Teams workflow webhook",
  ntfy: "ntfy",
  telegram: "Telegram bot",
  email: "E-mail (SMTP)",
};
