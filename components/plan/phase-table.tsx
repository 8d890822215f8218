import type { PlanOverview } from "@/lib/views/overview";
import { PhaseStatusBadge } from "@/components/status-badge";
import { ProgressBar } from "@/components/progress-bar";
import { CARD } from "@/components/ui/card";
import { TABLE, TableHead } from "@/components/ui/table";

export function PhaseTable({ plan }: { plan: PlanOverview }) {
  const { totals } = plan;
  const reported = plan.runningReportedAt !== null;
  return (
    <div className={CARD.table}>
      <table className="w-full text-left text-sm" data-testid="phase-table">
        <caption className="sr-only">Phase progress: images pushed per phase, computed from build records, and deployed, as the Pi reports</caption>
        <TableHead
          columns={[
            { label: "Phase", className: "px-3 py-3 sm:px-4" },
            { label: "Category", className: "hidden px-3 py-3 sm:table-cell sm:px-4" },
            { label: "Required", className: "hidden px-3 py-3 text-right sm:table-cell sm:px-4" },
            { label: "Completed", className: "px-3 py-3 text-right sm:px-4" },
            { label: "Deployed", className: "hidden px-3 py-3 text-right sm:table-cell sm:px-4" },
            { label: "Progress", className: "hidden w-48 px-3 py-3 md:table-cell sm:px-4" },
            { label: "Status", className: "px-3 py-3 sm:px-4" },
          ]}
        />
        <tbody className={TABLE.body}>
          {plan.phases.map((phase) => (
            <tr key={phase.number} data-phase={phase.number} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
              <th scope="row" className="whitespace-nowrap px-3 py-3 sm:px-4 font-medium">
                <a href={`#phase-${phase.number}`} className="hover:underline">{phase.name}</a>
              </th>
              <td className="hidden px-3 py-3 sm:px-4 text-slate-600 sm:table-cell dark:text-slate-300">{phase.category}</td>
              <td className="hidden px-3 py-3 text-right tabular-nums sm:table-cell sm:px-4" data-cell="required">{phase.required}</td>
              <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums sm:px-4" data-cell="completed">{phase.completed}<span className="sm:hidden"> / {phase.required}</span></td>
              <td className="hidden px-3 py-3 text-right tabular-nums sm:table-cell sm:px-4" data-cell="deployed" title={reported ? "images the Pi last reported running" : "the Pi has not reported what it runs"}>
                {reported ? phase.deployed : "—"}
              </td>
              <td className="hidden px-3 py-3 sm:px-4 md:table-cell">
                <ProgressBar value={phase.completed} max={phase.required} label={`${phase.name}: ${phase.completed} of ${phase.required} pushed`} />
              </td>
              <td className="px-3 py-3 sm:px-4"><PhaseStatusBadge status={phase.status} /></td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t-2 border-slate-200 font-semibold dark:border-slate-700">
          <tr data-phase="total">
            <th scope="row" className="whitespace-nowrap px-3 py-3 sm:px-4">Total</th>
            <td className="hidden px-3 py-3 sm:px-4 text-slate-600 sm:table-cell dark:text-slate-300">All phases</td>
            <td className="hidden px-3 py-3 text-right tabular-nums sm:table-cell sm:px-4" data-cell="required">{totals.required}</td>
            <td className="whitespace-nowrap px-3 py-3 text-right tabular-nums sm:px-4" data-cell="completed">{totals.completed}<span className="sm:hidden"> / {totals.required}</span></td>
            <td className="hidden px-3 py-3 text-right tabular-nums sm:table-cell sm:px-4" data-cell="deployed">{reported ? totals.deployed : "—"}</td>
            <td className="hidden px-3 py-3 sm:px-4 md:table-cell">
              <ProgressBar value={totals.completed} max={totals.required} label={`All phases: ${totals.completed} of ${totals.required} pushed`} />
            </td>
            <td className="whitespace-nowrap px-3 py-3 sm:px-4 tabular-nums" data-cell="percent">{totals.percent}% complete</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
