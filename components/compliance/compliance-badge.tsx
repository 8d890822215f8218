import clsx from "clsx";
import type { ImageComplianceStatus, ResultCounts } from "@/lib/compliance/types";
import { IMAGE_STATUS_LABEL, IMAGE_STATUS_TONE } from "@/components/compliance/tones";
import { PILL, TONES } from "@/components/ui/tone";

export type ComplianceBadgeProps = {
  status: ImageComplianceStatus;
  /** The image's findings counted by result (lib/compliance/status.ts), shown as "2 fail · 1 warning". */
  counts: ResultCounts;
  /** Where the badge links to: the compliance section of the image page by default. */
  href?: string;
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 || word === "fail" || word === "pass" ? "" : "s"}`;

/** The words a badge shows, the same on the overview card and the image page. */
function badgeDetail(status: ImageComplianceStatus, counts: ResultCounts): string {
  if (status === "pass") return plural(counts.pass, "pass");
  return [counts.fail > 0 && plural(counts.fail, "fail"), counts.warning > 0 && plural(counts.warning, "warning")].filter(Boolean).join(" · ");
}

/** An image's compliance at a glance, linking to the findings behind it. Its visible words are its accessible name. */
export function ComplianceBadge({ status, counts, href = "#compliance" }: ComplianceBadgeProps) {
  const detail = badgeDetail(status, counts);
  const title = `Compliance findings: ${counts.fail} fail, ${counts.warning} warning, ${counts.pass} pass, ${counts.not_checked} not checked`;
  return (
    <a href={href} title={title} className={clsx(PILL, TONES[IMAGE_STATUS_TONE[status]].pill, "hover:underline")} data-compliance={status}>
      <span aria-hidden className={clsx("size-1.5 rounded-full", status === "pass" ? "bg-emerald-500" : status === "warn" ? "bg-amber-500" : status === "fail" ? "bg-rose-500" : "bg-slate-400")} />
      {IMAGE_STATUS_LABEL[status]}
      {detail ? <span className="font-normal tabular-nums">{detail}</span> : null}
    </a>
  );
}
