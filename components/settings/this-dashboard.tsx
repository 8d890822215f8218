import { Facts } from "@/components/ui/facts";
import { CARD } from "@/components/ui/card";
import type { DashboardInstances } from "@/lib/views/instances";

const code = "font-mono text-[0.9em]";

/** The database this dashboard runs on, which instance this is, and (on PostgreSQL) the others and who polls. */
export function ThisDashboard({ info }: { info: DashboardInstances }) {
  const rows: [string, React.ReactNode][] = [
    [
      "Database",
      <>
        {info.engine === "postgresql" ? "PostgreSQL" : "SQLite"} <span className={code}>{info.database}</span>
      </>,
    ],
    [
      "This instance",
      <>
        <span className={code}>{info.here}</span> (<span className={code}>LUCID_INSTANCE_ID</span>, the host name unless set)
      </>,
    ],
  ];
  if (info.shared) {
    rows.push([
      "Instances alive",
      info.alive.length === 0 ? (
        "none has said it is alive in the last 20 s"
      ) : (
        <ul className="space-y-0.5" data-testid="instances-alive">
          {info.alive.map((a) => (
            <li key={a.id}>
              <span className={code}>{a.id}</span>
              {a.thisProcess ? " (this one)" : a.id === info.here ? " (another process with this instance's id)" : ""}
            </li>
          ))}
        </ul>
      ),
    ]);
    rows.push([
      "Health poller",
      info.poller ? (
        <>
          run by <span className={code}>{info.poller.id}</span>
          {info.poller.thisProcess ? " (this one)" : info.poller.id === info.here ? " (another process with this instance's id)" : ""}
        </>
      ) : (
        "no instance holds it right now (none is polling, or polling is off)"
      ),
    ]);
  }
  return (
    <section aria-labelledby="dashboard-title" className={`${CARD.roomy} space-y-3`} data-testid="this-dashboard">
      <div>
        <h2 id="dashboard-title" className="text-lg font-semibold">This dashboard</h2>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          {info.shared
            ? "Instances on this database share the work: each runs the builds it claims, one runs the health poller, and sign-in and build-trigger limits are counted together."
            : "One process serves this database: it runs the builds, the health poller and the rate limits."}
        </p>
      </div>
      {info.buildsRefused ? (
        <p role="alert" className="rounded-lg border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900 dark:border-rose-500/40 dark:bg-rose-500/10 dark:text-rose-200" data-testid="builds-refused">
          This instance runs no builds: {info.buildsRefused}.
        </p>
      ) : null}
      <Facts rows={rows} labelWidth="8rem" />
    </section>
  );
}
