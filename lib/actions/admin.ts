"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { PERMISSIONS, ROLES, TOKEN_SCOPES, type TokenScope } from "@/lib/auth/roles";
import { createUser, deleteUser, setUserRole, UserError } from "@/lib/auth/users";
import { setTemporaryPassword } from "@/lib/auth/passwords";
import { createToken, revokeToken, TokenError } from "@/lib/tokens/tokens";
import { formText, guardAction } from "@/lib/actions/guard";
import { invalid, saved, type ActionResult } from "@/lib/actions/result";

/** The new token's secret travels in this state once, to the admin who created it; it is never stored or shown again. */
export type CreateTokenState = ActionResult & { created: { name: string; token: string; scopes: string[] } | null };

function refused(error: unknown): ActionResult {
  if (error instanceof UserError || error instanceof TokenError) return invalid(error.message);
  throw error;
}

const roleInput = z.enum(ROLES, { message: `Choose a role: ${ROLES.join(", ")}.` });
const userForm = z.object({ email: z.string(), name: z.string(), password: z.string(), role: roleInput });
const roleForm = z.object({ email: z.string(), role: roleInput });
const emailForm = z.object({ email: z.string().transform((e) => e.trim().toLowerCase()) });
const tokenForm = z.object({
  name: z.string().transform((n) => n.trim()),
  scopes: z.array(z.string()).transform((list) => list.filter((s): s is TokenScope => Object.hasOwn(TOKEN_SCOPES, s))).refine((list) => list.length > 0, "Choose at least one scope."),
});
const nameForm = z.object({ name: z.string() });

export async function createUserAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const fields = { email: formText(formData, "email"), name: formText(formData, "name"), password: formText(formData, "password"), role: formText(formData, "role") };
  const guarded = await guardAction(PERMISSIONS["users:manage"], userForm, fields);
  if (!guarded.ok) return guarded.result;
  try {
    const user = await createUser(prisma, guarded.input, guarded.user.actor);
    revalidatePath("/admin/users");
    return saved(`Created ${user.email} (${user.role}).`);
  } catch (error) {
    return refused(error);
  }
}

export async function setRoleAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["users:manage"], roleForm, { email: formText(formData, "email"), role: formText(formData, "role") });
  if (!guarded.ok) return guarded.result;
  try {
    const { user, changed } = await setUserRole(prisma, guarded.input.email, guarded.input.role, guarded.user.actor);
    revalidatePath("/admin/users");
    return saved(changed ? `${user.email} is now ${user.role}.` : `${user.email} already is ${user.role}.`);
  } catch (error) {
    return refused(error);
  }
}

export async function deleteUserAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["users:manage"], emailForm, { email: formText(formData, "email") });
  if (!guarded.ok) return guarded.result;
  const { email } = guarded.input;
  // Signing yourself out of existence from the page is almost always a slip; the CLI can still do it.
  if (email === guarded.user.email.toLowerCase()) return invalid("You cannot delete your own account here.");
  try {
    const user = await deleteUser(prisma, email, guarded.user.actor);
    revalidatePath("/admin/users");
    return saved(`Deleted ${user.email}.`);
  } catch (error) {
    return refused(error);
  }
}

/** The temporary password travels in this state once, to the admin who set it; only its hash is stored. */
export type TemporaryPasswordState = ActionResult & { temporary: { email: string; password: string } | null };

export async function temporaryPasswordAction(_prev: TemporaryPasswordState, formData: FormData): Promise<TemporaryPasswordState> {
  const guarded = await guardAction(PERMISSIONS["users:manage"], emailForm, { email: formText(formData, "email") });
  if (!guarded.ok) return { ...guarded.result, temporary: null };
  if (guarded.input.email === guarded.user.email.toLowerCase()) return { ...invalid("Change your own password on your account page."), temporary: null };
  try {
    const temporary = await setTemporaryPassword(prisma, guarded.input.email, guarded.user.actor);
    revalidatePath("/admin/users");
    return { ...saved(`${temporary.email} has a temporary password and is signed out everywhere.`), temporary };
  } catch (error) {
    return { ...refused(error), temporary: null };
  }
}

export async function createTokenAction(_prev: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const scopes = formData.getAll("scope").filter((s) => typeof s === "string");
  const guarded = await guardAction(PERMISSIONS["tokens:manage"], tokenForm, { name: formText(formData, "name"), scopes });
  if (!guarded.ok) return { ...guarded.result, created: null };
  try {
    const created = await createToken(prisma, guarded.input.name, guarded.input.scopes, guarded.user.actor);
    revalidatePath("/admin/tokens");
    return { ...saved(null), created: { name: created.name, token: created.token, scopes: created.scopes } };
  } catch (error) {
    return { ...refused(error), created: null };
  }
}

export async function revokeTokenAction(_prev: ActionResult, formData: FormData): Promise<ActionResult> {
  const guarded = await guardAction(PERMISSIONS["tokens:manage"], nameForm, { name: formText(formData, "name") });
  if (!guarded.ok) return guarded.result;
  try {
    const token = await revokeToken(prisma, guarded.input.name, guarded.user.actor);
    revalidatePath("/admin/tokens");
    return saved(`Revoked ${token.name}: requests with it are refused from now on.`);
  } catch (error) {
    return refused(error);
  }
}
