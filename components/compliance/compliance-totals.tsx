import clsx from "clsx";
import { BUILD_SUMMARY_CLAIMS, SUMMARY_DOCUMENT, type SummaryClaim } from "@/lib/compliance/claims";
import type { PlanComplianceTotals } from "@/lib/compliance/types";
import { CARD } from "@/components/ui/card";

export type ComplianceTotalsProps = {
  totals: PlanComplianceTotals;
  /** The claims to compare with; the Phase 4 build summary's by default. */
  claims?: typeof BUILD_SUMMARY_CLAIMS;
  /** Shown under the table, e.g. "Dockerfiles were not checked: LUCID_REPO_ROOT is not set". */
  note?: string | null;
};

type Source = "dockerfiles" | "compose" | "registry" | "bases" | "scans";
type Row = { key: keyof typeof BUILD_SUMMARY_CLAIMS; label: string; measured: number; count: number; detail?: string; source: Source };

const NOT_CHECKED: Record<Source, string> = {
  dockerfiles: "No checkout is set (LUCID_REPO_ROOT)",
  compose: "No Compose files are configured (Settings)",
  registry: "No pushed image's attestations have been read yet (Base images → Check now)",
  bases: "No base image has been checked yet (Base images → Check now)",
  scans: "No vulnerability report has been imported for a latest push yet",
};

function Bar({ value, claim, label }: { value: number; claim: number | null; label: string }) {
  return (
    <div className="relative h-2 w-full min-w-24 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" role="img" aria-label={label}>
      <div className={clsx("h-full rounded-full", claim !== null && value < claim ? "bg-rose-500" : "bg-emerald-500")} style={{ width: `${value}%` }} />
      {claim !== null ? <div className="absolute inset-y-0 w-0.5 bg-slate-900 dark:bg-white" style={{ left: `calc(${claim}% - 2px)` }} aria-hidden /> : null}
    </div>
  );
}

function Verdict({ measured, claim, checked }: { measured: number; claim: SummaryClaim; checked: boolean }) {
  if (!checked) return <span className="text-slate-500 dark:text-slate-400">not checked</span>;
  if (claim.percent === null) return <span className="text-slate-500 dark:text-slate-400">no claim</span>;
  if (measured >= claim.percent) return <span className="font-medium text-emerald-700 dark:text-emerald-400">matches the claim</span>;
  return <span className="font-medium text-rose-700 dark:text-rose-400">{claim.percent - measured} points short of the claim</span>;
}

/** Measured plan-level compliance beside what the build summary claims, one row per claim. */
export function ComplianceTotals({ totals, claims = BUILD_SUMMARY_CLAIMS, note = null }: ComplianceTotalsProps) {
  const { counts, images } = totals;
  const rows: Row[] = [
    { key: "distroless", label: "Distroless final stage", measured: totals.distroless, count: counts.distroless, source: "dockerfiles" },
    {
      key: "nonRoot",
      label: "Non-root user",
      measured: totals.nonRoot,
      count: counts.nonRoot,
      detail: `${counts.expectedUser} of ${images} (${totals.expectedUser}%) as exactly the expected user`,
      source: "dockerfiles",
    },
    { key: "healthcheck", label: "Health check", measured: totals.healthcheck, count: counts.healthcheck, source: "dockerfiles" },
    { key: "pinned", label: "Bases pinned by digest", measured: totals.pinned, count: counts.pinned, source: "dockerfiles" },
    { key: "readOnly", label: "Read-only root filesystem", measured: totals.readOnly, count: counts.readOnly, detail: "in the Compose file", source: "compose" },
    { key: "capabilities", label: "Capabilities dropped, no new privileges", measured: totals.capabilities, count: counts.capabilities, detail: "cap_drop: [ALL] and no-new-privileges:true in the Compose file", source: "compose" },
    { key: "network", label: "On lucid-pi-network", measured: totals.network, count: counts.network, detail: "in the Compose file", source: "compose" },
    { key: "attested", label: "SBOM and provenance", measured: totals.attested, count: counts.attested, detail: "attestations in the registry", source: "registry" },
    { key: "signed", label: "Signature verified", measured: totals.signed, count: counts.signed, detail: "cosign, with the configured key", source: "registry" },
    { key: "baseFresh", label: "Built from the current base", measured: totals.baseFresh, count: counts.baseFresh, detail: "every base's digest now (Base images)", source: "bases" },
    { key: "noFixableCriticalHigh", label: "No fixable critical or high vulnerability", measured: totals.noFixableCriticalHigh, count: counts.noFixableCriticalHigh, detail: "the latest push's scan report", source: "scans" },
  ];
  return (
    <div className={CARD.table} data-testid="compliance-totals" tabIndex={0} role="region" aria-label="Compliance totals">
      <table className="w-full text-left text-sm">
        <caption className="px-4 pt-3 text-left text-xs text-slate-500 dark:text-slate-400">
          Measured from the Dockerfiles, the pushed images and the Compose files of all {images} images; {counts.analysed} of {images} Dockerfiles ({totals.analysed}%) could be analysed, and an image that could not counts as not meeting the rule. Claims quoted from {SUMMARY_DOCUMENT}.
        </caption>
        <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Measure</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Measured</th>
            <th scope="col" className="hidden w-40 px-4 py-2 font-medium sm:table-cell">
              <span className="sr-only">Measured against claimed</span>
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Claimed</th>
            <th scope="col" className="px-4 py-2 font-medium">Summary says</th>
            <th scope="col" className="px-4 py-2 font-medium">Verdict</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {rows.map((row) => {
            const claim: SummaryClaim = claims[row.key];
            const checked = totals.checked[row.source];
            return (
              <tr key={row.key} data-measure={row.key}>
                <th scope="row" className="px-4 py-2 font-medium">
                  {row.label}
                  {row.detail ? <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">{row.detail}</span> : null}
                </th>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums" data-cell="measured">
                  {checked ? (
                    <>
                      <span className="font-semibold">{row.measured}%</span>
                      <span className="block text-xs text-slate-500 dark:text-slate-400">{row.count} of {images}</span>
                    </>
                  ) : (
                    <span className="text-slate-500 dark:text-slate-400" title={NOT_CHECKED[row.source]}>—</span>
                  )}
                </td>
                <td className="hidden px-4 py-2 sm:table-cell">
                  {checked ? <Bar value={row.measured} claim={claim.percent} label={`${row.label}: measured ${row.measured}%, claimed ${claim.percent === null ? "nothing" : `${claim.percent}%`}`} /> : null}
                </td>
                <td className="whitespace-nowrap px-4 py-2 text-right tabular-nums" data-cell="claimed">{claim.percent === null ? "—" : `${claim.percent}%`}</td>
                <td className="px-4 py-2 text-xs italic text-slate-600 dark:text-slate-300">{claim.quote === null ? <span className="not-italic">says nothing</span> : `“${claim.quote}”`}</td>
                <td className="whitespace-nowrap px-4 py-2 text-xs"><Verdict measured={row.measured} claim={claim} checked={checked} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {note ? <p className="border-t border-slate-200 px-4 py-2 text-xs text-amber-800 dark:border-slate-800 dark:text-amber-300">{note}</p> : null}
    </div>
  );
}
