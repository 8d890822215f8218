// Passwords after an account exists: a user changes their own (the current one asked, their other sessions signed
// out), an admin sets a temporary one that must be changed at the next sign-in (every session of that user signed
// out). Both write the credential, the sessions and the audit record in one transaction.
// better-auth's changePassword endpoint was considered: it cannot clear our must-change flag or write our audit
// record in the same transaction, and an admin reset needs its admin plugin (another role model beside ours).
import { randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "better-auth/crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { audit, type Actor } from "@/lib/audit/audit";
import { checkPassword, findUserByEmail, UserError } from "@/lib/auth/users";

async function credentialOf(prisma: PrismaClient, userId: string) {
  const account = await prisma.account.findFirst({ where: { userId, providerId: "credential" }, select: { id: true, password: true } });
  if (!account?.password) throw new UserError("this account has no password to change (it does not sign in with one)");
  return account;
}

/**
 * Changes a user's own password. `keepSessionToken`: the session they are using, which stays signed in; every
 * other session of theirs ends. Refused, changing nothing, when the current password is wrong.
 */
export async function changeOwnPassword(
  prisma: PrismaClient,
  input: { userId: string; currentPassword: string; newPassword: string; keepSessionToken: string | null },
  actor: Actor,
): Promise<{ signedOut: number }> {
  checkPassword(input.newPassword);
  if (input.newPassword === input.currentPassword) throw new UserError("The new password must differ from the current one.");
  const account = await credentialOf(prisma, input.userId);
  if (!(await verifyPassword({ hash: account.password!, password: input.currentPassword }))) {
    throw new UserError("The current password is not right.");
  }
  const hash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    await tx.account.update({ where: { id: account.id }, data: { password: hash } });
    await tx.user.update({ where: { id: input.userId }, data: { mustChangePassword: false } });
    const { count } = await tx.session.deleteMany({ where: { userId: input.userId, ...(input.keepSessionToken ? { token: { not: input.keepSessionToken } } : {}) } });
    await audit(actor, "user.password", actor, { otherSessionsSignedOut: count }, tx);
    return { signedOut: count };
  });
}

/** A password nobody chose: 20 characters from 15 random bytes, easy to read out and type once. */
function temporaryPassword(): string {
  return randomBytes(15).toString("base64url");
}

/**
 * Gives a user a new temporary password (returned once, for the admin to pass on) that they must change at their
 * next sign-in; every session of theirs ends now.
 */
export async function setTemporaryPassword(prisma: PrismaClient, email: string, actor: Actor): Promise<{ email: string; password: string }> {
  const password = temporaryPassword();
  const hash = await hashPassword(password);
  return prisma.$transaction(async (tx) => {
    const user = await findUserByEmail(tx, email);
    const account = await tx.account.findFirst({ where: { userId: user.id, providerId: "credential" }, select: { id: true } });
    if (account) await tx.account.update({ where: { id: account.id }, data: { password: hash } });
    else await tx.account.create({ data: { id: randomBytes(24).toString("base64url"), userId: user.id, accountId: user.id, providerId: "credential", password: hash } });
    await tx.user.update({ where: { id: user.id }, data: { mustChangePassword: true } });
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await audit(actor, "user.password_reset", `user ${user.email}`, { sessionsSignedOut: count }, tx);
    return { email: user.email, password };
  });
}
