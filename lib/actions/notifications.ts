"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { PERMISSIONS } from "@/lib/auth/roles";
import { guardAction } from "@/lib/actions/guard";
import { invalid, saved, type ActionResult } from "@/lib/actions/result";
import { ChannelError, createChannel, deleteChannel, sendTest, updateChannel } from "@/lib/notifications/manage";
import { SecretsError } from "@/lib/notifications/secrets";
import { EVENT_TYPES } from "@/lib/notifications/events";

// Admins only: channels hold credentials of the team's chat and mail, and can send to any host.

const PAGE = "/admin/notifications";
const list = (value: FormDataEntryValue | null) =>
  String(value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

const createForm = z.object({ name: z.string(), kind: z.string(), events: z.array(z.enum(EVENT_TYPES, { message: "Choose events from the list." })), phases: z.array(z.coerce.number()), images: z.array(z.string()), settings: z.record(z.string(), z.unknown()), secrets: z.record(z.string(), z.unknown()) });
const idForm = z.object({ id: z.coerce.number().int().min(1) });
const keyForm = z.object({ key: z.string().regex(/^(db:\d+|env:\w+|file:.+)$/) });

function refused(error: unknown): ActionResult {
  if (error instanceof ChannelError || error instanceof SecretsError) return invalid(error.message);
  if (error instanceof z.ZodError) return invalid(error.issues[0]?.message ?? "invalid");
  throw error;
}

/** The form's fields by kind: what is shown (settings) and what is write-only (secrets). */
function fieldsOf(kind: string, form: FormData): { settings: Record<string, unknown>; secrets: Record<string, unknown> } {
  const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
  switch (kind) {
    case "webhook":
      return { settings: {}, secrets: { url: text("url"), secret: text("signingSecret") } };
    case "slack":
    case "discord":
    case "teams":
      return { settings: {}, secrets: { url: text("url") } };
    case "ntfy":
      return { settings: { server: text("server"), topic: text("topic") }, secrets: { token: text("token") } };
    case "telegram":
      return { settings: { chatId: text("chatId") }, secrets: { token: text("token") } };
    case "email":
      return { settings: { host: text("host"), port: text("port"), security: text("security"), from: text("from"), to: list(form.get("to")), username: text("username") }, secrets: { password: text("password") } };
    default:
      return { settings: {}, secrets: {} };
  }
}

export async function createChannelAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const kind = String(form.get("kind") ?? "");
  const guarded = await guardAction(PERMISSIONS["settings:write"], createForm, {
    name: form.get("name"),
    kind,
    events: form.getAll("events").map(String),
    phases: list(form.get("phases")),
    images: list(form.get("images")),
    ...fieldsOf(kind, form),
  });
  if (!guarded.ok) return guarded.result;
  try {
    await createChannel(prisma, guarded.input, guarded.user.actor);
  } catch (error) {
    return refused(error);
  }
  revalidatePath(PAGE);
  return saved(`Channel "${guarded.input.name.trim()}" added. Send it a test message to check it.`);
}

export async function toggleChannelAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["settings:write"], idForm.extend({ enabled: z.enum(["true", "false"]) }), { id: form.get("id"), enabled: form.get("enabled") });
  if (!guarded.ok) return guarded.result;
  try {
    await updateChannel(prisma, guarded.input.id, { enabled: guarded.input.enabled === "true" }, guarded.user.actor);
  } catch (error) {
    return refused(error);
  }
  revalidatePath(PAGE);
  return saved(guarded.input.enabled === "true" ? "Enabled." : "Disabled: it is sent nothing until enabled again.");
}

export async function deleteChannelAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["settings:write"], idForm, { id: form.get("id") });
  if (!guarded.ok) return guarded.result;
  try {
    await deleteChannel(prisma, guarded.input.id, guarded.user.actor);
  } catch (error) {
    return refused(error);
  }
  revalidatePath(PAGE);
  return saved("Removed.");
}

export async function sendTestAction(_prev: ActionResult, form: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["settings:write"], keyForm, { key: form.get("key") });
  if (!guarded.ok) return guarded.result;
  let outcome;
  try {
    outcome = await sendTest(prisma, guarded.input.key, guarded.user.actor, process.env, { telegramApi: process.env.LUCID_TELEGRAM_API_URL?.trim() || undefined });
  } catch (error) {
    return refused(error);
  }
  revalidatePath(PAGE);
  const result = outcome.result;
  return outcome.status === "sent" ? saved(`Sent (${result?.status ?? "ok"}).`) : invalid(`Not sent: ${result?.status ?? outcome.status}${result?.detail ? `: ${result.detail}` : ""}`);
}
