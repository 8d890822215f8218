import type { Metadata } from "next";
import { RelativeTime } from "@/components/ui/time";
import { CreateTokenForm, RevokeTokenForm } from "@/app/admin/tokens/token-forms";
import { CARD } from "@/components/ui/card";
import { prisma } from "@/lib/db/client";
import { tokenCreators } from "@/lib/audit/queries";
import { PERMISSIONS, TOKEN_SCOPES } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { listTokens } from "@/lib/tokens/tokens";
import { TABLE, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

const when = (date: Date | null, none: string) => (date ? <RelativeTime at={date} /> : none);

export default async function TokensPage() {
  await requireRole(PERMISSIONS["tokens:manage"]);
  const tokens = (await listTokens(prisma)).reverse();
  const creators = await tokenCreators(prisma, tokens.map((t) => t.name));
  return (
    <div className="space-y-6">
      <section aria-labelledby="create-token-title" className={CARD.roomy}>
        <h2 id="create-token-title" className="text-lg font-semibold">Create a token</h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          For scripts and outside builders (<code className="font-mono">Authorization: Bearer …</code>). The token is shown once, right after
          you create it; only its hash is kept. Any valid token may read the JSON API.
        </p>
        <CreateTokenForm scopes={Object.entries(TOKEN_SCOPES).map(([scope, description]) => ({ scope, description }))} />
      </section>

      <section aria-labelledby="tokens-title" className={CARD.table}>
        <h2 id="tokens-title" className="px-5 pt-4 text-lg font-semibold">Tokens</h2>
        {tokens.length === 0 ? (
          <p className="px-5 pb-5 pt-2 text-sm text-slate-500 dark:text-slate-400">No tokens yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm" data-testid="tokens-table">
            <caption className="sr-only">API tokens, newest first</caption>
            <TableHead columns={["Name", "Prefix", "Scopes", "Created", "Last used", "State"]} />
            <tbody className={TABLE.body}>
              {tokens.map((token) => (
                <tr key={token.name} data-token={token.name}>
                  <th scope="row" className={`${TABLE.td} font-medium`}>{token.name}</th>
                  <td className={`${TABLE.td} font-mono text-xs`}>{token.prefix}…</td>
                  <td className={`${TABLE.td} font-mono text-xs`}>{token.scopes.join(" ")}</td>
                  <td className={`${TABLE.td} whitespace-nowrap tabular-nums`}>
                    {when(token.createdAt, "—")}
                    <span className="block text-xs text-slate-500 dark:text-slate-400">{creators.get(token.name) ? `by ${creators.get(token.name)}` : "creator not recorded"}</span>
                  </td>
                  <td className={`${TABLE.td} whitespace-nowrap tabular-nums`}>{when(token.lastUsedAt, "never")}</td>
                  <td className={TABLE.td}>
                    {token.revokedAt ? (
                      <span className="text-xs font-semibold text-rose-700 dark:text-rose-400">revoked <RelativeTime at={token.revokedAt} /></span>
                    ) : (
                      <RevokeTokenForm name={token.name} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
