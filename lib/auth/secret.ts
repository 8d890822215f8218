// The secret better-auth signs session cookies with: BETTER_AUTH_SECRET when set, otherwise one generated at the
// first start and kept in the Setting table, so sessions survive restarts without any configuration.
import { randomBytes } from "node:crypto";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";

export const AUTH_SECRET_KEY = "auth.secret";
const MIN_ENV_SECRET_LENGTH = 32;

import type { Env } from "@/lib/env";

export type { Env };

/** BETTER_AUTH_SECRET, if set; a short one is refused rather than silently weakening every session. */
export function secretFromEnv(env: Env = process.env): string | null {
  const value = env.BETTER_AUTH_SECRET?.trim();
  if (!value) return null;
  if (value.length < MIN_ENV_SECRET_LENGTH) {
    throw new Error(`BETTER_AUTH_SECRET must be at least ${MIN_ENV_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`);
  }
  return value;
}

/** The stored secret, created (32 random bytes) when there is none. Safe when two processes start at once. */
export async function storedSecret(prisma: PrismaClient): Promise<string> {
  const existing = await prisma.setting.findUnique({ where: { key: AUTH_SECRET_KEY } });
  if (existing) return existing.value;
  try {
    await prisma.setting.create({ data: { key: AUTH_SECRET_KEY, value: randomBytes(32).toString("base64url") } });
  } catch (error) {
    // Another process stored one first: use that one.
    if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
  }
  const row = await prisma.setting.findUniqueOrThrow({ where: { key: AUTH_SECRET_KEY } });
  return row.value;
}

export async function resolveAuthSecret(prisma: PrismaClient, env: Env = process.env): Promise<string> {
  return secretFromEnv(env) ?? (await storedSecret(prisma));
}
