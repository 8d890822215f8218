import type { PlanOverview } from "@/lib/views/overview";
import { percent } from "@/lib/builds/status";
import { PhaseStatusBadge } from "@/components/status-badge";
import { ProgressBar } from "@/components/progress-bar";
import { CARD } from "@/components/ui/card";
import { TABLE, TableHead } from "@/components/ui/table";

const cell = "px-3 py-3 sm:px-4";

/** "2 / 10": pushed of required, each number in its own cell marker for tests and scrapers. */
function Pushed({ completed, required }: { completed: number; required: number }) {
  return (
    <>
      <span data-cell="completed">{completed}</span>
      <span className="text-slate-500 dark:text-slate-400"> / </span>
      <span data-cell="required">{required}</span>
    </>
  );
}

function Progress({ name, completed, required }: { name: string; completed: number; required: number }) {
  return (
    <div className="flex items-center gap-3">
      <ProgressBar value={completed} max={required} label={`${name}: ${completed} of ${required} pushed`} className="min-w-24" />
      <span className="w-11 shrink-0 text-right tabular-nums" data-cell="percent">{percent(completed, required)}%</span>
    </div>
  );
}

type PhaseVulns = PlanOverview["phases"][number]["vulnerabilities"];

function sumVulnerabilities(all: PhaseVulns[]): PhaseVulns {
  return all.reduce((a, b) => ({ scanned: a.scanned + b.scanned, critical: a.critical + b.critical, high: a.high + b.high, fixableCriticalHigh: a.fixableCriticalHigh + b.fixableCriticalHigh }), { scanned: 0, critical: 0, high: 0, fixableCriticalHigh: 0 });
}

/** Critical and high over the scanned images, with the fixable part; "not scanned" when none was. */
function PhaseVulnerabilities({ v, images }: { v: PhaseVulns; images: number }) {
  if (v.scanned === 0) return <span className="text-slate-500 dark:text-slate-400">not scanned</span>;
  return (
    <span className="tabular-nums" title={`over the ${v.scanned} of ${images} images whose latest push was scanned`}>
      {v.critical} critical · {v.high} high{v.fixableCriticalHigh > 0 ? <span className="font-semibold text-rose-700 dark:text-rose-400"> · {v.fixableCriticalHigh} fixable</span> : null}
      <span className="block text-slate-500 dark:text-slate-400">{v.scanned} of {images} scanned</span>
    </span>
  );
}

export function PhaseTable({ plan }: { plan: PlanOverview }) {
  const { totals } = plan;
  const reported = plan.runningReportedAt !== null;
  return (
    <div className={CARD.table}>
      <table className="w-full text-left text-sm" data-testid="phase-table">
        <caption className="sr-only">Phase progress: images pushed per phase, computed from build records, and deployed, as the Pi reports</caption>
        <TableHead
          columns={[
            { label: "Phase", className: cell },
            { label: "Category", className: `hidden ${cell} sm:table-cell` },
            { label: "Pushed", className: `${cell} text-right` },
            { label: "Deployed", className: `hidden ${cell} text-right sm:table-cell` },
            { label: "Progress", className: `hidden w-64 ${cell} md:table-cell` },
            { label: "Vulnerabilities", className: `hidden ${cell} lg:table-cell` },
            { label: "Status", className: cell },
          ]}
        />
        <tbody className={TABLE.body}>
          {plan.phases.map((phase) => (
            <tr key={phase.number} data-phase={phase.number} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
              <th scope="row" className={`whitespace-nowrap ${cell} font-medium`}>
                <a href={`#phase-${phase.number}`} className="hover:underline">{phase.name}</a>
              </th>
              <td className={`hidden ${cell} text-slate-600 sm:table-cell dark:text-slate-300`}>{phase.category}</td>
              <td className={`whitespace-nowrap ${cell} text-right tabular-nums`}><Pushed completed={phase.completed} required={phase.required} /></td>
              <td className={`hidden ${cell} text-right tabular-nums sm:table-cell`} data-cell="deployed" title={reported ? "images the Pi last reported running" : "the Pi has not reported what it runs"}>
                {reported ? phase.deployed : "—"}
              </td>
              <td className={`hidden ${cell} md:table-cell`}><Progress name={phase.name} completed={phase.completed} required={phase.required} /></td>
              <td className={`hidden ${cell} text-xs lg:table-cell`} data-cell="vulnerabilities"><PhaseVulnerabilities v={phase.vulnerabilities} images={phase.images.length} /></td>
              <td className={cell}><PhaseStatusBadge status={phase.status} /></td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t-2 border-slate-200 font-semibold dark:border-slate-700">
          <tr data-phase="total">
            <th scope="row" className={`whitespace-nowrap ${cell}`}>Total</th>
            <td className={`hidden ${cell} text-slate-600 sm:table-cell dark:text-slate-300`}>All phases</td>
            <td className={`whitespace-nowrap ${cell} text-right tabular-nums`}><Pushed completed={totals.completed} required={totals.required} /></td>
            <td className={`hidden ${cell} text-right tabular-nums sm:table-cell`} data-cell="deployed">{reported ? totals.deployed : "—"}</td>
            <td className={`hidden ${cell} md:table-cell`}><Progress name="All phases" completed={totals.completed} required={totals.required} /></td>
            <td className={`hidden ${cell} text-xs lg:table-cell`} data-cell="vulnerabilities">
              <PhaseVulnerabilities v={sumVulnerabilities(plan.phases.map((p) => p.vulnerabilities))} images={totals.images} />
            </td>
            <td className={`whitespace-nowrap ${cell} tabular-nums`}>{totals.percent}% complete</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
