// Users are created by admins (the admin page or the CLI), never by signing up. Rows follow better-auth's own
// layout (a `user` and a `credential` account holding its scrypt hash), so better-auth signs them in; each change
// and its audit record are one transaction. The last admin can be neither demoted nor deleted.
import { randomBytes } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { z } from "zod";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { audit, type Actor } from "@/lib/audit/audit";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/constants";
import { isRole, ROLES, type Role } from "@/lib/auth/roles";
import type { Env } from "@/lib/env";

export class UserError extends Error {
  override name = "UserError";
}

export type UserInfo = { id: string; email: string; name: string; role: Role; createdAt: Date; mustChangePassword: boolean };

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "An email address has at most 254 characters.")
  .pipe(z.email("That is not an email address."));

export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new UserError(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new UserError(`The password may have at most ${MAX_PASSWORD_LENGTH} characters.`);
}

function parseEmail(email: string): string {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new UserError(`${parsed.error.issues[0]!.message} (${JSON.stringify(email.slice(0, 80))})`);
  return parsed.data;
}

function parseRole(role: string): Role {
  if (!isRole(role)) throw new UserError(`unknown role ${JSON.stringify(role.slice(0, 40))}: use one of ${ROLES.join(", ")}`);
  return role;
}

const select = { id: true, email: true, name: true, role: true, createdAt: true, mustChangePassword: true } as const;
const toInfo = (row: { id: string; email: string; name: string; role: string; createdAt: Date; mustChangePassword: boolean }): UserInfo => ({
  ...row,
  // A value written by hand outside these functions counts as the least role.
  role: isRole(row.role) ? row.role : "viewer",
});

/** Creates a user who signs in with this email and password. */
export async function createUser(
  prisma: PrismaClient,
  input: { email: string; password: string; role: string; name?: string },
  actor: Actor,
): Promise<UserInfo> {
  const email = parseEmail(input.email);
  const role = parseRole(input.role);
  checkPassword(input.password);
  const name = input.name?.trim().slice(0, 100) || email.split("@")[0]!;
  const hash = await hashPassword(input.password);
  const id = randomBytes(24).toString("base64url");
  try {
    return await prisma.$transaction(async (tx) => {
      const row = await tx.user.create({
        data: {
          id,
          email,
          name,
          role,
          emailVerified: false,
          accounts: { create: { id: randomBytes(24).toString("base64url"), accountId: id, providerId: "credential", password: hash } },
        },
        select,
      });
      await audit(actor, "user.create", `user ${email}`, { role }, tx);
      return toInfo(row);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new UserError(`a user with the email ${email} already exists`);
    }
    throw error;
  }
}

export async function listUsers(prisma: PrismaClient): Promise<UserInfo[]> {
  const rows = await prisma.user.findMany({ orderBy: { createdAt: "asc" }, select });
  return rows.map(toInfo);
}

export async function countUsers(prisma: PrismaClient): Promise<number> {
  return prisma.user.count();
}

type Tx = Prisma.TransactionClient;

export async function findUserByEmail(tx: Tx, email: string) {
  const row = await tx.user.findUnique({ where: { email: parseEmail(email) }, select });
  if (!row) throw new UserError(`no user with the email ${JSON.stringify(email.slice(0, 80))}`);
  return row;
}

async function assertAnotherAdmin(tx: Tx, userId: string, doing: string): Promise<void> {
  const others = await tx.user.count({ where: { role: "admin", id: { not: userId } } });
  if (others === 0) throw new UserError(`cannot ${doing} the last admin: make another user admin first`);
}

/** Changes a user's role; their open sessions get the new role at their next request. */
export async function setUserRole(prisma: PrismaClient, email: string, roleInput: string, actor: Actor): Promise<{ user: UserInfo; changed: boolean }> {
  const role = parseRole(roleInput);
  return prisma.$transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user.role === role) return { user: toInfo(user), changed: false };
    if (user.role === "admin") await assertAnotherAdmin(tx, user.id, "demote");
    const row = await tx.user.update({ where: { id: user.id }, data: { role }, select });
    await audit(actor, "user.role", `user ${user.email}`, { from: user.role, to: role }, tx);
    return { user: toInfo(row), changed: true };
  });
}

/** Deletes a user with their sessions and accounts (cascade). */
export async function deleteUser(prisma: PrismaClient, email: string, actor: Actor): Promise<UserInfo> {
  return prisma.$transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    if (user.role === "admin") await assertAnotherAdmin(tx, user.id, "delete");
    await tx.user.delete({ where: { id: user.id } });
    await audit(actor, "user.delete", `user ${user.email}`, { role: user.role }, tx);
    return toInfo(user);
  });
}

export type FirstAdminResult = { created: false; reason: "not_configured" | "users_exist" } | { created: true; email: string };

/**
 * The first admin from LUCID_ADMIN_EMAIL and LUCID_ADMIN_PASSWORD, created only while no user exists: changing
 * the variables later changes nothing (use the admin page or `npx lucid user`).
 */
export async function ensureFirstAdmin(prisma: PrismaClient, env: Env = process.env): Promise<FirstAdminResult> {
  const email = env.LUCID_ADMIN_EMAIL?.trim();
  const password = env.LUCID_ADMIN_PASSWORD;
  if (!email || !password) return { created: false, reason: "not_configured" };
  if ((await countUsers(prisma)) > 0) return { created: false, reason: "users_exist" };
  try {
    const user = await createUser(prisma, { email, password, role: "admin" }, "system");
    return { created: true, email: user.email };
  } catch (error) {
    // Another process created a user in between: the same outcome as finding one.
    if (error instanceof UserError && (await countUsers(prisma)) > 0 && /already exists/.test(error.message)) return { created: false, reason: "users_exist" };
    throw error;
  }
}
