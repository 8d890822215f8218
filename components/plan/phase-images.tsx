import Link from "next/link";
import type { ImageOverview, PhaseOverview } from "@/lib/views/overview";
import { ImageProgressBadge, PhaseStatusBadge } from "@/components/status-badge";
import { formatBytes, formatDuration } from "@/lib/format";
import { BuildPhaseButton, RebuildButton } from "@/components/builds/action-buttons";
import { ComplianceBadge } from "@/components/compliance/compliance-badge";
import type { ImageComplianceSummary } from "@/lib/compliance/types";
import { HealthBadge } from "@/components/health/health-badge";
import type { ImageHealthSummary } from "@/lib/health/queries";
import { CARD } from "@/components/ui/card";
import { RunningBadge } from "@/components/deploy/running-badge";
import { VulnerabilityBadge } from "@/components/vulnerabilities/vulnerability-badge";

function Evidence({ image }: { image: ImageOverview }) {
  const build = image.latestBuild;
  if (!build) return <span className="text-slate-500 dark:text-slate-400">No build recorded</span>;
  const figures = [formatDuration(build.durationMs), formatBytes(build.reportedSizeBytes)].filter((f) => f !== "—");
  return (
    <Link
      href={`/builds/${build.id}`}
      className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400"
      title={`The build record behind this state: build #${build.id} of ${image.name}`}
    >
      Build #{build.id}
      {build.source === "imported" ? " · imported" : ""}
      {figures.length > 0 ? ` · ${figures.join(" · ")}` : ""}
    </Link>
  );
}

function CardAction({ image }: { image: ImageOverview }) {
  const build = image.latestBuild;
  if ((image.state === "queued" || image.state === "building") && build) {
    return (
      <Link href={`/builds/${build.id}`} className="mt-auto self-start text-xs font-semibold text-sky-700 hover:underline dark:text-sky-400">
        {image.state === "building" ? "Building: watch the log →" : "Queued: open the build →"}
      </Link>
    );
  }
  if (image.state === "failed") return <div className="mt-auto"><RebuildButton image={image.name} /></div>;
  return null;
}

type Props = {
  phase: PhaseOverview;
  /** The phase's images to show (a filtered overview shows some); all of them by default. */
  images?: ImageOverview[];
  compliance?: ReadonlyMap<string, ImageComplianceSummary>;
  health?: ReadonlyMap<string, ImageHealthSummary>;
};

export function PhaseImages({ phase, images = phase.images, compliance, health }: Props) {
  return (
    <section id={`phase-${phase.number}`} aria-labelledby={`phase-${phase.number}-title`} className="scroll-mt-20">
      <div className="mb-3 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 id={`phase-${phase.number}-title`} className="text-base font-semibold">
          {phase.name}: {phase.category}
        </h3>
        <span className="text-sm tabular-nums text-slate-500 dark:text-slate-400">
          {phase.completed} of {phase.required} pushed
        </span>
        <PhaseStatusBadge status={phase.status} />
        <span className="ml-auto">
          <BuildPhaseButton phase={phase.number} phaseName={phase.name} incomplete={phase.images.filter((i) => !i.shipped && (i.state === "failed" || i.state === "not_built" || i.state === "built")).map((i) => i.name)} />
        </span>
      </div>
      <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" role="list">
        {images.map((image) => (
          <li
            key={image.name}
            data-image={image.name}
            className={`${CARD.padded} flex flex-col gap-2`}
          >
            <div className="flex items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="text-xs tabular-nums text-slate-500 dark:text-slate-400">Step {image.step}</p>
                <h4 className="truncate font-medium" title={image.name}>
                  <Link href={`/images/${image.name}`} className="hover:text-sky-700 hover:underline dark:hover:text-sky-400">{image.title}</Link>
                </h4>
                <p className="truncate font-mono text-xs text-slate-500 dark:text-slate-400" title={image.repository}>
                  {image.name}
                </p>
              </div>
              <ImageProgressBadge state={image.state} shipped={image.shipped} reason={image.latestBuild?.failureReason} />
            </div>
            {image.state === "failed" && image.latestBuild?.failureReason ? (
              <p className="line-clamp-2 text-xs text-rose-700 [overflow-wrap:anywhere] dark:text-rose-400" title={image.latestBuild.failureReason} data-testid="failure-reason">
                {image.shipped ? "Last rebuild failed: " : "Failed: "}
                {image.latestBuild.failureReason}
              </p>
            ) : null}
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
              <dt className="text-slate-500 dark:text-slate-400">Dockerfile</dt>
              <dd className="truncate font-mono" title={image.dockerfile}>{image.dockerfile}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Port</dt>
              <dd className="tabular-nums">{image.port ?? "—"}</dd>
              <dt className="text-slate-500 dark:text-slate-400">Evidence</dt>
              <dd className="truncate"><Evidence image={image} /></dd>
              {image.running ? (
                <>
                  <dt className="text-slate-500 dark:text-slate-400">Running</dt>
                  <dd data-testid="running">
                    <RunningBadge state={image.running.state} drift={image.running.drift} />
                  </dd>
                </>
              ) : null}
              <dt className="text-slate-500 dark:text-slate-400">Health</dt>
              <dd data-testid="health">
                <HealthBadge state={health?.get(image.name)?.state ?? "off"} since={health?.get(image.name)?.since ?? null} lastError={health?.get(image.name)?.lastProbe?.error ?? null} />
              </dd>
              <dt className="text-slate-500 dark:text-slate-400">Vulnerabilities</dt>
              <dd data-testid="vulnerabilities">
                <VulnerabilityBadge counts={image.vulnerabilities} href={`/images/${image.name}#vulnerabilities`} />
              </dd>
              <dt className="text-slate-500 dark:text-slate-400">Security</dt>
              <dd>
                {compliance?.get(image.name) ? (
                  <ComplianceBadge status={compliance.get(image.name)!.status} counts={compliance.get(image.name)!.counts} href={`/images/${image.name}#compliance`} />
                ) : (
                  "—"
                )}
              </dd>
            </dl>
            <CardAction image={image} />
          </li>
        ))}
      </ul>
    </section>
  );
}
