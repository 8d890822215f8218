// Run at every start (scripts/seed.ts): the session secret exists, and the first admin is created from
// LUCID_ADMIN_EMAIL and LUCID_ADMIN_PASSWORD while there is no user. Returns what to tell the operator;
// never a secret or a password.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { resolveAuthSecret, type Env } from "@/lib/auth/secret";
import { countUsers, ensureFirstAdmin } from "@/lib/auth/users";

export async function prepareAccounts(prisma: PrismaClient, env: Env = process.env): Promise<string[]> {
  const messages: string[] = [];
  // Generated and stored on the first start unless BETTER_AUTH_SECRET is set (and checked here when it is).
  await resolveAuthSecret(prisma, env);
  const admin = await ensureFirstAdmin(prisma, env);
  if (admin.created) messages.push(`Created the first admin, ${admin.email}, from LUCID_ADMIN_EMAIL.`);
  else if ((await countUsers(prisma)) === 0) {
    messages.push(
      "No user can sign in yet: create the first admin with `npx lucid user create --admin EMAIL`, or start with LUCID_ADMIN_EMAIL and LUCID_ADMIN_PASSWORD set.",
    );
  }
  return messages;
}
