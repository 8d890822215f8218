// API tokens for scripts and outside builders. The secret is shown once, at creation; the database keeps
// only its SHA-256, so a leaked database (or backup) does not leak usable tokens.
import { createHash, randomBytes } from "node:crypto";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { audit, type Actor } from "@/lib/audit/audit";

const TOKEN_PREFIX = "lucid_";
/** How many leading characters of a token are stored and shown to tell tokens apart. */
const DISPLAY_PREFIX_LENGTH = 12;
export const DEFAULT_SCOPES = ["builds:write"] as const;

const TOKEN_BYTES = 32;
const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
// Scopes are stored space-separated, so a scope is one word: `resource:action`.
const SCOPE_PATTERN = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;
// `lucid_` + 32 bytes as unpadded base64url (43 characters).
const TOKEN_PATTERN = /^lucid_[A-Za-z0-9_-]{43}$/;
const BEARER_PATTERN = /^Bearer +(\S+) *$/i;

export class TokenError extends Error {
  override name = "TokenError";
}

export type TokenInfo = {
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

export type CreatedToken = TokenInfo & {
  /** The secret itself: returned this once and stored nowhere. */
  token: string;
};

export type AuthResult =
  | { ok: true; token: { id: number; name: string } }
  | { ok: false; status: 401 | 403; message: string };

const infoSelect = { name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString("base64url");
}

function assertValidName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new TokenError(
      `invalid token name ${JSON.stringify(name.slice(0, 80))}: use 1 to 64 characters from A-Z, a-z, 0-9, ".", "_" and "-"`,
    );
  }
}

function normalizeScopes(scopes: readonly string[]): string[] {
  if (scopes.length === 0) throw new TokenError("a token needs at least one scope, e.g. builds:write");
  for (const scope of scopes) {
    if (!SCOPE_PATTERN.test(scope)) {
      throw new TokenError(`invalid scope ${JSON.stringify(scope.slice(0, 80))}: a scope looks like builds:write`);
    }
  }
  return [...new Set(scopes)];
}

function parseScopes(stored: string): string[] {
  return stored.split(" ").filter(Boolean);
}

function toInfo(row: { name: string; prefix: string; scopes: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }): TokenInfo {
  return { ...row, scopes: parseScopes(row.scopes) };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Creates a token and returns its secret; only the hash and the display prefix are stored. With an `actor`,
 * the creation is audited in the same transaction (the secret never reaches the audit log).
 */
export async function createToken(
  prisma: PrismaClient,
  name: string,
  scopes: readonly string[] = DEFAULT_SCOPES,
  actor?: Actor,
): Promise<CreatedToken> {
  assertValidName(name);
  const scopeList = normalizeScopes(scopes);
  const token = generateToken();
  try {
    const row = await prisma.$transaction(async (tx) => {
      const created = await tx.apiToken.create({
        data: {
          name,
          prefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
          tokenHash: hashToken(token),
          scopes: scopeList.join(" "),
        },
        select: infoSelect,
      });
      if (actor) await audit(actor, "token.create", `token ${name}`, { scopes: scopeList, prefix: created.prefix }, tx);
      return created;
    });
    return { ...toInfo(row), token };
  } catch (error) {
    // The only other unique column is the hash of 32 random bytes, so a violation means the name.
    if (isUniqueViolation(error)) {
      throw new TokenError(`a token named "${name}" already exists; choose another name or revoke that one`);
    }
    throw error;
  }
}

/** Every token, oldest first, without its hash. */
export async function listTokens(prisma: PrismaClient): Promise<TokenInfo[]> {
  const rows = await prisma.apiToken.findMany({ orderBy: { id: "asc" }, select: infoSelect });
  return rows.map(toInfo);
}

/** Revokes a token; with an `actor`, audited in the same transaction. */
export async function revokeToken(prisma: PrismaClient, name: string, actor?: Actor): Promise<TokenInfo> {
  const revokedAt = new Date();
  return prisma.$transaction(async (tx) => {
    // Conditional on revokedAt so that two concurrent revocations cannot both succeed.
    const { count } = await tx.apiToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt } });
    const row = await tx.apiToken.findUnique({ where: { name }, select: infoSelect });
    if (!row) throw new TokenError(`no token named ${JSON.stringify(name.slice(0, 80))}`);
    if (count === 0) throw new TokenError(`token "${name}" is already revoked (since ${row.revokedAt?.toISOString()})`);
    if (actor) await audit(actor, "token.revoke", `token ${name}`, { prefix: row.prefix }, tx);
    return toInfo(row);
  });
}

const UNKNOWN_OR_REVOKED = "invalid or revoked token";

/** "Last used" is shown to the minute: a busy token is written at most once a minute, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;
let lastUseWarningAt = 0;

/**
 * Records that a token was used. Bookkeeping only: when it cannot be written (a read-only or busy database),
 * the request the token authorizes still goes ahead, and the failure is logged at most once a minute.
 */
async function noteUse(prisma: PrismaClient, row: { id: number; name: string; lastUsedAt: Date | null }): Promise<void> {
  const now = new Date();
  if (row.lastUsedAt !== null && now.getTime() - row.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  try {
    await prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  } catch (error) {
    if (now.getTime() - lastUseWarningAt >= LAST_USED_RESOLUTION_MS) {
      lastUseWarningAt = now.getTime();
      console.warn(`token "${row.name}": could not record its last use (${(error as Error).message.split("\n")[0]})`);
    }
  }
}

/**
 * Checks an `Authorization: Bearer <token>` header. Unknown and revoked tokens get the same answer,
 * so a caller cannot learn whether a token ever existed. The secret never appears in a message.
 * `requiredScope` null accepts any valid token (reading needs no scope).
 */
export async function authenticateBearer(
  prisma: PrismaClient,
  authorizationHeader: string | null | undefined,
  requiredScope: string | null,
): Promise<AuthResult> {
  if (!authorizationHeader?.trim()) {
    return { ok: false, status: 401, message: "missing Authorization header: send Authorization: Bearer <token>" };
  }
  const token = BEARER_PATTERN.exec(authorizationHeader)?.[1];
  if (token === undefined) {
    return { ok: false, status: 401, message: "the Authorization header must be: Bearer <token>" };
  }
  if (!TOKEN_PATTERN.test(token)) return { ok: false, status: 401, message: UNKNOWN_OR_REVOKED };

  // Looked up by hash through the unique index: the secret is never compared character by character.
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, name: true, scopes: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt !== null) return { ok: false, status: 401, message: UNKNOWN_OR_REVOKED };
  if (requiredScope !== null && !parseScopes(row.scopes).includes(requiredScope)) {
    return { ok: false, status: 403, message: `token "${row.name}" lacks the ${requiredScope} scope` };
  }
  await noteUse(prisma, row);
  return { ok: true, token: { id: row.id, name: row.name } };
}
