"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { requireSignedIn } from "@/lib/auth/session";
import { changeOwnPassword } from "@/lib/auth/passwords";
import { UserError } from "@/lib/auth/users";
import { formText } from "@/lib/actions/guard";
import { invalid, saved, type ActionResult } from "@/lib/actions/result";

const passwordForm = z
  .object({ current: z.string().min(1, "Enter your current password."), next: z.string(), repeat: z.string() })
  .refine((f) => f.next === f.repeat, { message: "The two new passwords differ.", path: ["repeat"] });

/**
 * Changes the signed-in user's own password; any role, and the one thing open to a user with a temporary password
 * (who is then sent on to the overview). Their other sessions are signed out; this one stays.
 */
export async function changePasswordAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const user = await requireSignedIn();
  const parsed = passwordForm.safeParse({ current: formText(formData, "current"), next: formText(formData, "next"), repeat: formText(formData, "repeat") });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return invalid(issue.message, { [String(issue.path[0] ?? "form")]: issue.message });
  }
  let signedOut: number;
  try {
    ({ signedOut } = await changeOwnPassword(prisma, { userId: user.id, currentPassword: parsed.data.current, newPassword: parsed.data.next, keepSessionToken: user.sessionToken }, user.actor));
  } catch (error) {
    if (error instanceof UserError) return invalid(error.message, error.message.startsWith("The current") ? { current: error.message } : { next: error.message });
    throw error;
  }
  if (user.mustChangePassword) redirect("/");
  return saved(`Password changed.${signedOut > 0 ? ` ${signedOut} other session${signedOut === 1 ? "" : "s"} signed out.` : ""}`);
}
