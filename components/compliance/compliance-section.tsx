import clsx from "clsx";
import type { Finding, ImageCompliance } from "@/lib/compliance/types";
import { ComplianceBadge } from "@/components/compliance/compliance-badge";
import { byResult, countResults, findingResult } from "@/lib/compliance/status";
import { RESULT_LABEL, RESULT_TONE, SEVERITY_LABEL } from "@/components/compliance/tones";
import { PILL, TONES } from "@/components/ui/tone";
import { CARD } from "@/components/ui/card";
import { TABLE, TableHead } from "@/components/ui/table";

export type ComplianceSectionProps = {
  compliance: ImageCompliance;
  /** The section's id, the badge's link target. */
  id?: string;
};


function evidenceOf(finding: Finding, dockerfile: string): { label: string; title: string } {
  if (finding.source === "scan") return { label: "Scan report", title: "the latest push's vulnerability scan (Vulnerabilities below)" };
  if (finding.source === "registry") return { label: "Registry", title: "the latest push's attestations, signature and base digests, read from the registry (Supply chain below)" };
  if (finding.source === "image") return { label: "Image config", title: "the latest pushed build's config, read from the registry" };
  if (finding.source === "compose") {
    return finding.line !== null && finding.file ? { label: `Compose line ${finding.line}`, title: `${finding.file}, line ${finding.line}` } : { label: "Compose", title: "the deployment's Compose files" };
  }
  if (finding.line !== null) return { label: `Dockerfile line ${finding.line}`, title: `${dockerfile}, line ${finding.line}` };
  return { label: "Dockerfile", title: dockerfile };
}

function ResultPill({ finding }: { finding: Finding }) {
  const result = findingResult(finding);
  return <span className={clsx(PILL, TONES[RESULT_TONE[result]].pill)} data-result={result}>{RESULT_LABEL[result]}</span>;
}

function FindingRow({ finding, dockerfile }: { finding: Finding; dockerfile: string }) {
  const evidence = evidenceOf(finding, dockerfile);
  return (
    <tr data-rule={finding.rule} data-status={finding.status} className="align-top">
      <th scope="row" className="whitespace-nowrap px-4 py-2 font-mono text-xs font-medium">{finding.rule}</th>
      <td className="px-4 py-2"><ResultPill finding={finding} /></td>
      <td className={clsx("px-4 py-2 text-xs", finding.severity === "error" ? "font-semibold" : "text-slate-600 dark:text-slate-300")}>{SEVERITY_LABEL[finding.severity]}</td>
      <td className="whitespace-nowrap px-4 py-2 text-xs text-slate-600 dark:text-slate-300" title={evidence.title}>{evidence.label}</td>
      <td className="min-w-[18rem] px-4 py-2">
        <p className="[overflow-wrap:anywhere]">{finding.message}</p>
        {finding.excerpt ? (
          <pre className="mt-1.5 max-h-48 overflow-auto whitespace-pre-wrap [overflow-wrap:anywhere] rounded-md bg-slate-50 p-2 font-mono text-xs leading-relaxed text-slate-700 ring-1 ring-inset ring-slate-200 dark:bg-slate-950 dark:text-slate-300 dark:ring-slate-800" aria-label={`Dockerfile excerpt for ${finding.rule}`}>
            {finding.excerpt}
          </pre>
        ) : null}
      </td>
    </tr>
  );
}

/** One finding as a card, for a phone: rule and result first, then where the evidence is and what it says. */
function FindingCard({ finding, dockerfile }: { finding: Finding; dockerfile: string }) {
  const evidence = evidenceOf(finding, dockerfile);
  return (
    <li className="space-y-1.5 p-3 text-sm" data-rule={finding.rule} data-status={finding.status}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-mono text-xs font-medium [overflow-wrap:anywhere]">{finding.rule}</span>
        <ResultPill finding={finding} />
        <span className="text-xs text-slate-600 dark:text-slate-300">{SEVERITY_LABEL[finding.severity]} severity · <span title={evidence.title}>{evidence.label}</span></span>
      </div>
      <p className="[overflow-wrap:anywhere]">{finding.message}</p>
      {finding.excerpt ? (
        <pre className="max-h-40 overflow-auto whitespace-pre-wrap [overflow-wrap:anywhere] rounded-md bg-slate-50 p-2 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-200 dark:bg-slate-950 dark:text-slate-300 dark:ring-slate-800">
          {finding.excerpt}
        </pre>
      ) : null}
    </li>
  );
}

/** Every rule's verdict for one image: result, severity, where the evidence comes from, and the Dockerfile lines that decided it. */
export function ComplianceSection({ compliance, id = "compliance" }: ComplianceSectionProps) {
  const { dockerfile, parseError, status } = compliance;
  const findings = byResult(compliance.findings);
  const composeFiles = [...new Set(findings.flatMap((f) => (f.source === "compose" && f.file ? [f.file] : [])))];
  return (
    <section id={id} aria-labelledby={`${id}-title`} className="scroll-mt-20 space-y-3" data-testid="compliance-section">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={`${id}-title`} className="text-lg font-semibold">Security compliance</h2>
        <ComplianceBadge status={status} counts={countResults(findings)} href={`#${id}`} />
        <span className="text-sm text-slate-500 dark:text-slate-400">
          from <span className="font-mono">{dockerfile}</span>, the latest pushed image
          {composeFiles.length > 0 ? <> and <span className="font-mono">{composeFiles.join(", ")}</span></> : null}
        </span>
      </div>
      {parseError ? (
        <p role="alert" className="rounded-lg bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:bg-rose-500/10 dark:text-rose-300">
          The Dockerfile could not be analysed: {parseError}
        </p>
      ) : null}
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Failures first. A rule of high severity that fails is a <strong className="font-semibold">fail</strong>; one of medium or low
        severity that fails, or a rule that could not decide, is a <strong className="font-semibold">warning</strong>; &ldquo;not
        checked&rdquo; means the rule had nothing to read.
      </p>
      {/* Phones: one card per rule; wider screens: the table. */}
      <ul className={clsx(CARD.bare, "divide-y divide-slate-100 md:hidden dark:divide-slate-800")} data-testid="compliance-cards">
        {findings.map((f) => (
          <FindingCard key={f.rule} finding={f} dockerfile={dockerfile} />
        ))}
      </ul>
      <div className={clsx(CARD.bare, "hidden overflow-x-auto md:block")} tabIndex={0} role="region" aria-label={`Compliance findings of ${compliance.name}`}>
        <table className="w-full text-left text-sm" data-testid="compliance-table">
          <caption className="sr-only">Compliance rules for {compliance.name}: result, severity, evidence and the Dockerfile lines that decided each</caption>
          <TableHead columns={["Rule", "Result", "Severity", "Evidence", "Details"]} />
          <tbody className={TABLE.body}>
            {findings.length === 0 ? (
              <tr><td colSpan={5} className="px-4 py-8 text-center text-slate-500 dark:text-slate-400">No compliance findings for this image.</td></tr>
            ) : (
              findings.map((f) => <FindingRow key={f.rule} finding={f} dockerfile={dockerfile} />)
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
