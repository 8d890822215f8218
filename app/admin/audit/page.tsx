import type { Metadata } from "next";
import { RelativeTime } from "@/components/ui/time";
import Link from "next/link";
import { BUTTON } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { INPUT } from "@/components/ui/field";
import { prisma } from "@/lib/db/client";
import { AUDIT_ACTIONS, type AuditAction } from "@/lib/audit/audit";
import { listAuditEvents, parseAuditFilters, type AuditFilters } from "@/lib/audit/queries";
import { PERMISSIONS } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { TABLE, TableHead } from "@/components/ui/table";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function pageHref(filters: AuditFilters, page: number): string {
  const params = new URLSearchParams();
  if (filters.action) params.set("action", filters.action);
  if (filters.actor) params.set("actor", filters.actor);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return `/admin/audit${query ? `?${query}` : ""}`;
}

/** The detail as short `key: value` pairs, one level deep; nested values as compact JSON. */
function DetailText({ detail }: { detail: unknown }) {
  if (detail === null || detail === undefined) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  if (typeof detail !== "object" || Array.isArray(detail)) return <span>{JSON.stringify(detail)}</span>;
  return (
    <ul className="space-y-0.5">
      {Object.entries(detail as Record<string, unknown>).map(([key, value]) => (
        <li key={key} className="[overflow-wrap:anywhere]">
          <span className="text-slate-500 dark:text-slate-400">{key}:</span> {typeof value === "string" ? value : JSON.stringify(value)}
        </li>
      ))}
    </ul>
  );
}

export default async function AuditPage({ searchParams }: Props) {
  await requireRole(PERMISSIONS["audit:read"]);
  const filters = parseAuditFilters(await searchParams);
  const { events, page, pages, total } = await listAuditEvents(prisma, filters);
  const filtered = Boolean(filters.action || filters.actor || filters.from || filters.to);

  return (
    <div className="space-y-4">
      <form method="get" action="/admin/audit" className={`${CARD.roomy} grid gap-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_auto_auto_auto] lg:items-end`} data-testid="audit-filters">
        <div>
          <label htmlFor="audit-action" className="block text-sm font-medium">Action</label>
          <select id="audit-action" name="action" defaultValue={filters.action ?? ""} className={INPUT}>
            <option value="">Any action</option>
            {(Object.entries(AUDIT_ACTIONS) as [AuditAction, string][]).map(([action, label]) => (
              <option key={action} value={action}>{label} ({action})</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-actor" className="block text-sm font-medium">Actor</label>
          <input id="audit-actor" name="actor" defaultValue={filters.actor ?? ""} placeholder="user a@b.c, token ci, cli" className={INPUT} />
        </div>
        <div>
          <label htmlFor="audit-from" className="block text-sm font-medium">From (UTC)</label>
          <input id="audit-from" name="from" type="date" defaultValue={filters.from ?? ""} className={INPUT} />
        </div>
        <div>
          <label htmlFor="audit-to" className="block text-sm font-medium">To (UTC)</label>
          <input id="audit-to" name="to" type="date" defaultValue={filters.to ?? ""} className={INPUT} />
        </div>
        <div className="flex items-center gap-3">
          <button type="submit" className={BUTTON.primary}>Filter</button>
          {filtered ? <Link href="/admin/audit" className="text-sm text-sky-700 hover:underline dark:text-sky-400">Clear</Link> : null}
        </div>
      </form>

      <section aria-labelledby="audit-title" className={CARD.table} tabIndex={0}>
        <div className="flex items-baseline justify-between px-5 pt-4">
          <h2 id="audit-title" className="text-lg font-semibold">Events</h2>
          <span className="text-sm text-slate-500 dark:text-slate-400" data-testid="audit-total">
            {total} event{total === 1 ? "" : "s"}{filtered ? " matching" : ""}
          </span>
        </div>
        <table className="mt-2 w-full text-left text-sm" data-testid="audit-table">
          <caption className="sr-only">Audit events, newest first</caption>
          <TableHead columns={["When", "Actor", "Action", "Target", "Detail"]} />
          <tbody className={TABLE.body}>
            {events.length === 0 ? (
              <tr><td colSpan={5} className="px-4 py-8 text-center text-slate-500 dark:text-slate-400">No events{filtered ? " match these filters" : " yet"}.</td></tr>
            ) : (
              events.map((event) => (
                <tr key={event.id} data-action={event.action}>
                  <td className={`${TABLE.td} whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-300`}><RelativeTime at={event.at} exact /></td>
                  <td className={`${TABLE.td} min-w-44 [overflow-wrap:anywhere]`}>{event.actor}</td>
                  <td className={`${TABLE.td} min-w-40`}>
                    <span className="font-medium">{AUDIT_ACTIONS[event.action as AuditAction] ?? event.action}</span>
                    <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">{event.action}</span>
                  </td>
                  <td className={`${TABLE.td} min-w-44 [overflow-wrap:anywhere]`}>{event.target ?? "—"}</td>
                  <td className={`${TABLE.td} min-w-56 max-w-sm text-xs`}><DetailText detail={event.detail} /></td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>

      {pages > 1 ? (
        <nav aria-label="Audit log pages" className="flex items-center justify-between text-sm">
          {page > 1 ? <Link href={pageHref(filters, page - 1)} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">← Newer</Link> : <span />}
          <span className="text-slate-500 dark:text-slate-400">Page {page} of {pages}</span>
          {page < pages ? <Link href={pageHref(filters, page + 1)} className="rounded-md border border-slate-300 px-3 py-1 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">Older →</Link> : <span />}
        </nav>
      ) : null}
    </div>
  );
}
