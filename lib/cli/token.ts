import { withDatabase } from "@/lib/cli/database";
import { createToken, DEFAULT_SCOPES, listTokens, revokeToken, type TokenInfo } from "@/lib/tokens/tokens";
import { CLI_ACTOR } from "@/lib/audit/audit";
import { formatUtc } from "@/lib/format";

export function tokenCreateCommand(name: string, opts: { scope?: string[] }): Promise<number> {
  return withDatabase(async (prisma) => {
    const scopes = opts.scope?.length ? opts.scope : [...DEFAULT_SCOPES];
    const created = await createToken(prisma, name, scopes, CLI_ACTOR);
    // The secret alone goes to stdout, so `TOKEN=$(npx lucid token create ci)` captures just the token.
    console.error(`Created token "${created.name}" with scope ${created.scopes.join(", ")}:`);
    console.log(created.token);
    console.error("Store it now: it will not be shown again (only its hash is kept). Lost tokens can only be revoked.");
  });
}

function formatTime(date: Date | null): string {
  return date === null ? "-" : formatUtc(date, "minute", true);
}

function formatTokenTable(tokens: readonly TokenInfo[]): string[] {
  const header = ["NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "REVOKED"];
  const rows = tokens.map((t) => [
    t.name,
    `${t.prefix}…`,
    t.scopes.join(","),
    formatTime(t.createdAt),
    t.lastUsedAt === null ? "never" : formatTime(t.lastUsedAt),
    formatTime(t.revokedAt),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((cells) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
}

export function tokenListCommand(): Promise<number> {
  return withDatabase(async (prisma) => {
    const tokens = await listTokens(prisma);
    if (tokens.length === 0) {
      console.log("No tokens. Create one with: npx lucid token create NAME");
      return;
    }
    for (const line of formatTokenTable(tokens)) console.log(line);
  });
}

export function tokenRevokeCommand(name: string): Promise<number> {
  return withDatabase(async (prisma) => {
    const revoked = await revokeToken(prisma, name, CLI_ACTOR);
    console.log(`Revoked token "${revoked.name}" (${revoked.prefix}…); requests with it are now refused.`);
  });
}
