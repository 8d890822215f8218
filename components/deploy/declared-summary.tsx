import Link from "next/link";
import type { DeploymentRead } from "@/lib/deploy/load";
import { TABLE, TableHead } from "@/components/ui/table";
import { CARD } from "@/components/ui/card";

const code = "font-mono text-[0.9em]";

/** What the configured Compose files declare: every problem with file, line and excerpt, or each service and the image it runs. */
export function DeclaredSummary({ read }: { read: DeploymentRead }) {
  if (!read.configured) {
    return <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="compose-state">No deployment is declared: {read.reason}.</p>;
  }
  const { declared } = read;
  if (!declared.ok) {
    return (
      <div role="alert" className="space-y-2 rounded-lg border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900 dark:border-rose-500/40 dark:bg-rose-500/10 dark:text-rose-200" data-testid="compose-state">
        <p className="font-medium">The Compose files cannot be read, so nothing of them is used (Compose itself would refuse them):</p>
        <ul className="space-y-2">
          {declared.problems.map((p, i) => (
            <li key={i} data-testid="compose-problem">
              <span className={code}>{p.file || "(settings)"}{p.line !== null ? `:${p.line}` : ""}</span> {p.message}
              {p.excerpt ? <pre className="mt-1 overflow-x-auto whitespace-pre-wrap [overflow-wrap:anywhere] rounded bg-white/70 p-1.5 font-mono text-xs dark:bg-slate-950/60">{p.excerpt}</pre> : null}
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="space-y-3" data-testid="compose-state">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        {declared.services.length} services in <span className={code}>{declared.files.join(", ")}</span>; {declared.services.filter((s) => s.image).length} run images of the plan.
        {declared.unset.length > 0 ? <> Not set, so empty or their defaults: <span className={code}>{declared.unset.join(", ")}</span>.</> : null}
      </p>
      {declared.conflicts.map((c) => (
        <p key={`${c.port}/${c.protocol}`} role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:bg-rose-500/10 dark:text-rose-300" data-testid="port-conflict">
          Host port {c.port}/{c.protocol} is published by {c.services.join(" and ")}: only one can have it, so neither is probed there.
        </p>
      ))}
      <div className={CARD.table}>
        <table className="w-full text-left text-sm">
          <TableHead columns={["Service", "Image", "Plan image", "Health probe"]} />
          <tbody className={TABLE.body}>
            {declared.services.map((s) => (
              <tr key={s.service.name} data-service={s.service.name} className="align-top">
                <th scope="row" className="px-4 py-2 font-mono text-xs font-medium">
                  {s.service.name}
                  {s.service.positions[""] ? <span className="block font-sans font-normal text-slate-500 dark:text-slate-400">{s.service.positions[""].file}:{s.service.positions[""].line}</span> : null}
                </th>
                <td className="px-4 py-2 font-mono text-xs [overflow-wrap:anywhere]">{s.service.image ?? "—"}</td>
                <td className="px-4 py-2">
                  {s.image ? <Link href={`/images/${s.image}`} className="text-sky-700 hover:underline dark:text-sky-400">{s.image}</Link> : <span className="text-slate-500 dark:text-slate-400">{s.problem ?? "not in the plan"}</span>}
                </td>
                <td className="px-4 py-2 text-xs">
                  {s.health.port !== null ? <span className={code}>:{s.health.port}{s.health.path}</span> : <span className="text-slate-500 dark:text-slate-400">not probed</span>}
                  {s.health.from ? <span className="block text-slate-500 dark:text-slate-400">{s.health.from === "healthcheck" ? "from its health check" : "the plan's path, its only published port"}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {declared.notDeployed.length > 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          No service runs {declared.notDeployed.length} plan image{declared.notDeployed.length === 1 ? "" : "s"}: <span className={code}>{declared.notDeployed.join(", ")}</span>.
        </p>
      ) : null}
    </div>
  );
}
