import type { Metadata } from "next";
import Link from "next/link";
import clsx from "clsx";
import { prisma } from "@/lib/db/client";
import { PERMISSIONS } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";
import { KIND_LABELS } from "@/lib/notifications/channels";
import { EVENT_LABELS } from "@/lib/notifications/events";
import { declaredChannels, deliveryLog, listChannels } from "@/lib/notifications/manage";
import { Badge } from "@/components/ui/badge";
import { BUTTON } from "@/components/ui/button";
import { CARD } from "@/components/ui/card";
import { TABLE, TableHead } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/time";
import { AddChannelForm, DeleteChannelButton, SendTestButton, ToggleChannelButton } from "@/app/admin/notifications/channel-forms";

export const metadata: Metadata = { title: "Notifications" };
export const dynamic = "force-dynamic";

const STATUS_TONE = { sent: "green", pending: "amber", sending: "sky", gave_up: "red", superseded: "slate" } as const;

type Props = { searchParams: Promise<{ channel?: string | string[] }> };

export default async function NotificationsPage({ searchParams }: Props) {
  await requireRole(PERMISSIONS["settings:write"]);
  const wanted = (await searchParams).channel;
  const channels = await listChannels(prisma);
  const selected = channels.find((c) => c.key === (Array.isArray(wanted) ? wanted[0] : wanted)) ?? null;
  const log = await deliveryLog(prisma, 100, selected?.key ?? null);
  const problem = declaredChannels().problem;
  const muted = "text-slate-500 dark:text-slate-400";
  return (
    <div className="space-y-6">
      {problem ? <p role="alert" className="rounded-lg border border-rose-300 bg-rose-50 px-4 py-3 text-sm text-rose-900 dark:border-rose-500/40 dark:bg-rose-500/10 dark:text-rose-200">{problem}. The channels declared in the environment send nothing until it is fixed.</p> : null}
      <section aria-labelledby="channels-title" className={CARD.table} tabIndex={0}>
        <h2 id="channels-title" className="px-5 pt-4 text-lg font-semibold">Channels</h2>
        <p className={clsx("px-5 text-sm", muted)}>
          Failed and fixed builds, services down, degraded and recovered, drift, moved bases and worse compliance go to every channel whose rules let them through.
          Channels declared in the environment (LUCID_NOTIFY_…) or LUCID_NOTIFY_FILE are shown read-only. Secrets are never shown.
        </p>
        {channels.length === 0 ? (
          <p className={clsx("px-5 pb-5 pt-2 text-sm", muted)}>No channel yet: nothing is sent.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm" data-testid="channels-table">
            <caption className="sr-only">Notification channels</caption>
            <TableHead columns={["Name", "Kind", "Rules", "Settings", "Actions"]} />
            <tbody className={TABLE.body}>
              {channels.map((c) => (
                <tr key={c.key} data-channel={c.name} className="align-top">
                  <th scope="row" className={clsx(TABLE.td, "font-medium")}>
                    {c.name}
                    <span className="mt-1 flex flex-wrap gap-1">
                      <Badge tone={c.source === "dashboard" ? "sky" : "slate"} dot={false}>{c.source === "dashboard" ? "added here" : `from the ${c.source}`}</Badge>
                      {!c.enabled ? <Badge tone="outline" dot={false}>disabled</Badge> : null}
                    </span>
                  </th>
                  <td className={clsx(TABLE.td, "text-xs")}>{KIND_LABELS[c.kind]}</td>
                  <td className={clsx(TABLE.td, "text-xs")}>
                    <span className="block">{c.events.length === 0 ? "all events" : c.events.map((e) => EVENT_LABELS[e]).join(", ")}</span>
                    <span className={clsx("block", muted)}>{c.phases.length === 0 ? "all phases" : `phases ${c.phases.join(", ")}`}; {c.images.length === 0 ? "all images" : c.images.join(", ")}</span>
                  </td>
                  <td className={clsx(TABLE.td, "text-xs [overflow-wrap:anywhere]")}>
                    {Object.entries(c.settings).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => <span key={k} className="block">{k}: {Array.isArray(v) ? v.join(", ") : String(v)}</span>)}
                    {c.secretsSet.length > 0 ? <span className={clsx("block", muted)}>{c.secretsSet.join(", ")}: set (write-only)</span> : null}
                  </td>
                  <td className={TABLE.td}>
                    <div className="flex flex-wrap gap-2">
                      <SendTestButton channelKey={c.key} name={c.name} />
                      <Link href={`/admin/notifications?channel=${encodeURIComponent(c.key)}#log-title`} className={BUTTON.quiet} aria-label={`Delivery log of ${c.name}`}>Log</Link>
                      {c.id !== null ? <ToggleChannelButton id={c.id} enabled={c.enabled} name={c.name} /> : null}
                      {c.id !== null ? <DeleteChannelButton id={c.id} name={c.name} /> : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="add-channel-title" className={CARD.roomy}>
        <h2 id="add-channel-title" className="text-lg font-semibold">Add a channel</h2>
        <p className={clsx("mt-1 text-sm", muted)}>Requests time out after 10 s, never follow a redirect to another host, and read at most 64 KiB of the answer. Failed deliveries are retried with backoff (10 s, 1 min, 5 min, 30 min, 2 h) and given up after 6 attempts.</p>
        <AddChannelForm />
      </section>

      <section aria-labelledby="log-title" className={CARD.table} tabIndex={0}>
        <h2 id="log-title" className="px-5 pt-4 text-lg font-semibold">Delivery log{selected ? ` of ${selected.name}` : ""}</h2>
        {selected ? <p className="px-5 text-sm"><Link href="/admin/notifications#log-title" className="underline">Every channel</Link></p> : null}
        {log.length === 0 ? (
          <p className={clsx("px-5 pb-5 pt-2 text-sm", muted)}>Nothing sent yet.</p>
        ) : (
          <table className="mt-2 w-full text-left text-sm" data-testid="delivery-log">
            <caption className="sr-only">The last 100 deliveries, newest first</caption>
            <TableHead columns={["When", "Channel", "Event", "Result", "Answer"]} />
            <tbody className={TABLE.body}>
              {log.map((d) => (
                <tr key={d.id} data-status={d.status} className="align-top">
                  <td className={clsx(TABLE.td, "whitespace-nowrap text-xs")}><RelativeTime at={d.at} /></td>
                  <td className={clsx(TABLE.td, "text-xs")}>{d.channel}</td>
                  <td className={clsx(TABLE.td, "text-xs")}>{d.title}<span className={clsx("block font-mono", muted)} title="event id, for receivers to dedupe on">{d.eventId.slice(0, 8)}</span></td>
                  <td className={TABLE.td}><Badge tone={STATUS_TONE[d.status as keyof typeof STATUS_TONE] ?? "slate"}>{d.status.replace("_", " ")}</Badge><span className={clsx("block text-xs", muted)}>{d.attempts} attempt{d.attempts === 1 ? "" : "s"}</span></td>
                  <td className={clsx(TABLE.td, "text-xs [overflow-wrap:anywhere]")}>{d.lastStatus ?? "—"}{d.lastError ? <span className="block text-rose-700 dark:text-rose-400">{d.lastError}</span> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
