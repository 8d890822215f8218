import clsx from "clsx";
import type { FindingCounts, ImageComplianceStatus } from "@/lib/compliance/types";
import { IMAGE_STATUS_LABEL, IMAGE_STATUS_TONE } from "@/components/compliance/tones";
import { PILL, TONES } from "@/components/ui/tone";

export type ComplianceBadgeProps = {
  status: ImageComplianceStatus;
  /** The image's findings counted by result, shown as "2 fail · 1 warn". */
  counts: FindingCounts;
  /** Where the badge links to: the compliance section of the image page by default. */
  href?: string;
};

/** An image's compliance at a glance, linking to the findings behind it. */
export function ComplianceBadge({ status, counts, href = "#compliance" }: ComplianceBadgeProps) {
  const detail = [counts.fail > 0 && `${counts.fail} fail`, counts.warn > 0 && `${counts.warn} warn`, status === "pass" && `${counts.pass} pass`].filter(Boolean).join(" · ");
  const title = `Compliance: ${counts.fail} failed, ${counts.warn} warned, ${counts.pass} passed, ${counts["n/a"]} not applicable`;
  return (
    <a href={href} title={title} aria-label={`${IMAGE_STATUS_LABEL[status]}${detail ? `: ${detail}` : ""}. Show compliance findings`} className={clsx(PILL, TONES[IMAGE_STATUS_TONE[status]].pill, "hover:underline")} data-compliance={status}>
      <span aria-hidden className={clsx("size-1.5 rounded-full", status === "pass" ? "bg-emerald-500" : status === "warn" ? "bg-amber-500" : status === "fail" ? "bg-rose-500" : "bg-slate-400")} />
      {IMAGE_STATUS_LABEL[status]}
      {detail ? <span className="font-normal tabular-nums opacity-80">{detail}</span> : null}
    </a>
  );
}
