// The audit trail: who changed what, when. One writer, `audit()`, called inside the transaction of the change
// where there is one (pass the transaction client as `db`), so a change and its record commit or fail together.
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";

/**
 * Who did it: a signed-in user, an API token, the command line, the server itself (e.g. the first admin
 * from the environment at start), or nobody signed in (a failed sign-in).
 */
export type Actor = `user ${string}` | `token ${string}` | "cli" | "system" | "anonymous";

export const userActor = (email: string): Actor => `user ${email}`;
export const tokenActor = (name: string): Actor => `token ${name}`;
export const CLI_ACTOR: Actor = "cli";

/** Every action recorded, with the words the audit page shows for it. */
export const AUDIT_ACTIONS = {
  "build.start": "build queued",
  "build.phase": "phase build",
  "build.rebuild_stale": "rebuild of images on a moved base",
  "bases.check": "base images checked now",
  "scan.import": "vulnerability report imported",
  "notify.channel_create": "notification channel added",
  "notify.channel_update": "notification channel changed",
  "notify.channel_delete": "notification channel removed",
  "notify.test": "test notification sent",
  "build.cancel": "build cancelled",
  "build.report": "build reported",
  "plan.import": "plan imported",
  "settings.deploy_target": "deployment host changed",
  "settings.health_target": "health target changed",
  "settings.compose": "Compose files changed",
  "deployment.report": "running containers reported",
  "health.check": "health checked now",
  "token.create": "API token created",
  "token.revoke": "API token revoked",
  "user.create": "user created",
  "user.role": "role changed",
  "user.delete": "user deleted",
  "user.password": "password changed",
  "user.password_reset": "temporary password set",
  "auth.sign_in": "signed in",
  "auth.sign_in_failed": "sign-in failed",
  "auth.sign_in_throttled": "sign-in throttled",
  "auth.sign_out": "signed out",
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === "string" && Object.hasOwn(AUDIT_ACTIONS, value);
}

export type AuditDetail = Record<string, unknown>;

/** Anything that can write an AuditEvent: the client or a transaction client. */
export type AuditDb = Pick<PrismaClient, "auditEvent"> | Pick<Prisma.TransactionClient, "auditEvent">;

// Keys whose values are never stored, whatever a caller passes: the audit log is read by admins and
// kept in backups, and it must not become a second place where secrets live.
const SECRET_KEY = /^(password|newpassword|currentpassword|secret|token|tokenhash|authorization|cookie|session|sessiontoken)$/i;
export const REDACTED = "[redacted]";
const MAX_STRING = 500;
const MAX_ITEMS = 50;
const MAX_DEPTH = 4;
const MAX_TARGET = 200;

/** A JSON-safe copy of `value` with secret-named keys replaced, long strings cut and deep or long structures trimmed. */
export function sanitizeDetail(value: unknown, depth = 0): Prisma.InputJsonValue | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING - 1)}…` : value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => sanitizeDetail(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
    return items as Prisma.InputJsonValue;
  }
  if (typeof value === "object") {
    const out: Record<string, Prisma.InputJsonValue | null> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ITEMS)) {
      if (item === undefined) continue;
      out[key] = SECRET_KEY.test(key) ? REDACTED : sanitizeDetail(item, depth + 1);
    }
    return out as Prisma.InputJsonValue;
  }
  return String(value);
}

/**
 * Records one event. `target` names what was acted on (`image lucid-vm`, `build 42`, `user a@b.c`, `token ci`).
 * Pass the transaction client as `db` to write it inside the change's transaction.
 */
export async function audit(
  actor: Actor,
  action: AuditAction,
  target: string | null,
  detail: AuditDetail | null = null,
  db?: AuditDb,
): Promise<void> {
  // The app's client only when none is given, loaded on demand so the CLI and tests never open the default database.
  const client = db ?? (await import("@/lib/db/client")).prisma;
  const sanitized = detail === null ? null : sanitizeDetail(detail);
  await client.auditEvent.create({
    data: {
      actor: actor.slice(0, MAX_TARGET),
      action,
      target: target === null ? null : target.slice(0, MAX_TARGET),
      // Prisma needs undefined (not null) to leave a Json? column empty.
      detail: sanitized === null ? undefined : sanitized,
    },
  });
}
