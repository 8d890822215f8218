"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { PERMISSIONS, ROLES, TOKEN_SCOPES, type TokenScope } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { createUser, deleteUser, setUserRole, UserError } from "@/lib/auth/users";
import { createToken, revokeToken, TokenError } from "@/lib/tokens/tokens";

export type FormState = { error: string | null; message: string | null };

/** The new token's secret travels in this state once, to the admin who created it; it is never stored or shown again. */
export type CreateTokenState = FormState & { created: { name: string; token: string; scopes: string[] } | null };

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

function refused(error: unknown): FormState {
  if (error instanceof UserError || error instanceof TokenError) return { error: error.message, message: null };
  throw error;
}

const roleInput = z.enum(ROLES, { message: `Choose a role: ${ROLES.join(", ")}.` });

export async function createUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const admin = await requireRole(PERMISSIONS["users:manage"]);
  const role = roleInput.safeParse(text(formData, "role"));
  if (!role.success) return { error: role.error.issues[0]!.message, message: null };
  try {
    const user = await createUser(prisma, { email: text(formData, "email"), name: text(formData, "name"), password: text(formData, "password"), role: role.data }, admin.actor);
    revalidatePath("/admin/users");
    return { error: null, message: `Created ${user.email} (${user.role}).` };
  } catch (error) {
    return refused(error);
  }
}

export async function setRoleAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const admin = await requireRole(PERMISSIONS["users:manage"]);
  const role = roleInput.safeParse(text(formData, "role"));
  if (!role.success) return { error: role.error.issues[0]!.message, message: null };
  try {
    const { user, changed } = await setUserRole(prisma, text(formData, "email"), role.data, admin.actor);
    revalidatePath("/admin/users");
    return { error: null, message: changed ? `${user.email} is now ${user.role}.` : `${user.email} already is ${user.role}.` };
  } catch (error) {
    return refused(error);
  }
}

export async function deleteUserAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const admin = await requireRole(PERMISSIONS["users:manage"]);
  const email = text(formData, "email").trim().toLowerCase();
  // Signing yourself out of existence from the page is almost always a slip; the CLI can still do it.
  if (email === admin.email.toLowerCase()) return { error: "You cannot delete your own account here.", message: null };
  try {
    const user = await deleteUser(prisma, email, admin.actor);
    revalidatePath("/admin/users");
    return { error: null, message: `Deleted ${user.email}.` };
  } catch (error) {
    return refused(error);
  }
}

export async function createTokenAction(_prev: CreateTokenState, formData: FormData): Promise<CreateTokenState> {
  const admin = await requireRole(PERMISSIONS["tokens:manage"]);
  const scopes = formData.getAll("scope").filter((s): s is TokenScope => typeof s === "string" && Object.hasOwn(TOKEN_SCOPES, s));
  if (scopes.length === 0) return { error: "Choose at least one scope.", message: null, created: null };
  try {
    const created = await createToken(prisma, text(formData, "name").trim(), scopes, admin.actor);
    revalidatePath("/admin/tokens");
    return { error: null, message: null, created: { name: created.name, token: created.token, scopes: created.scopes } };
  } catch (error) {
    return { ...refused(error), created: null };
  }
}

export async function revokeTokenAction(_prev: FormState, formData: FormData): Promise<FormState> {
  const admin = await requireRole(PERMISSIONS["tokens:manage"]);
  try {
    const token = await revokeToken(prisma, text(formData, "name"), admin.actor);
    revalidatePath("/admin/tokens");
    return { error: null, message: `Revoked ${token.name}: requests with it are refused from now on.` };
  } catch (error) {
    return refused(error);
  }
}
