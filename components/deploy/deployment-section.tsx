import { shortDigest } from "@/lib/registry/reference";
import type { ImageDeployment, PortSources } from "@/lib/views/deployment";
import { RelativeTime } from "@/components/ui/time";
import { RunningBadge } from "@/components/deploy/running-badge";
import { CARD } from "@/components/ui/card";

const code = "font-mono text-[0.9em]";
const muted = "text-slate-500 dark:text-slate-400";

function where(file: string | null, line: number | null): string {
  return file ? `${file}${line !== null ? `:${line}` : ""}` : "";
}

/** The plan's port, the Dockerfile's EXPOSE and the Compose ports side by side, with what disagrees. */
function Ports({ ports }: { ports: PortSources }) {
  return (
    <div className="space-y-2" data-testid="port-sources">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className={muted}>Plan</dt>
        <dd className="tabular-nums">{ports.plan ?? "—"} <span className={`text-xs ${muted}`}>the build plan (Settings → image target)</span></dd>
        <dt className={muted}>Dockerfile</dt>
        <dd className="tabular-nums">{ports.dockerfile === null ? "not read" : ports.dockerfile.length > 0 ? `EXPOSE ${ports.dockerfile.join(" ")}` : "no EXPOSE"}</dd>
        <dt className={muted}>Compose</dt>
        <dd className="tabular-nums">
          {ports.compose.length === 0
            ? "—"
            : ports.compose.map((c, i) => (
                <span key={i} className="mr-3 inline-block">
                  {c.published ?? "random"}→{c.target} <span className={`text-xs ${muted}`}>{c.service}, {where(c.file, c.line)}</span>
                </span>
              ))}
        </dd>
      </dl>
      {ports.disagreements.length > 0 ? (
        <ul role="alert" className="space-y-1 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-500/10 dark:text-amber-200" data-testid="port-disagreements">
          {ports.disagreements.map((d) => (
            <li key={d}>Ports disagree: {d}.</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** What the Pi last reported running this image, and how far that is from the latest push. */
function Running({ running }: { running: ImageDeployment["running"] }) {
  if (!running) {
    return <p className={`text-sm ${muted}`} data-testid="running-state">What runs is not known: the Pi has not reported its containers (README, "What the Pi runs").</p>;
  }
  return (
    <div className="space-y-1 text-sm" data-testid="running-state">
      {running.containers.length === 0 ? (
        <p>Not running: no container of this image in the Pi&apos;s report of <RelativeTime at={running.observedAt} />.</p>
      ) : (
        running.containers.map((c) => (
          <p key={c.containerName} className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span>
              Container <span className={code}>{c.containerName}</span> ({c.status ?? c.state}{c.health ? `, Docker health: ${c.health}` : ""}
              {c.startedAt ? <>, started <RelativeTime at={c.startedAt} /></> : ""}) runs{" "}
              <span className={`${code} [overflow-wrap:anywhere]`}>{c.image}</span>
              {c.digests[0] ? <span className={`${code} ${muted}`} title={c.digests.join("\n")}> {shortDigest(c.digests[0])}…</span> : null}:
            </span>
            <RunningBadge state={c.state} drift={c.drift} />
          </p>
        ))
      )}
      <p className={`text-xs ${muted}`}>As the Pi reported <RelativeTime at={running.observedAt} exact />.</p>
    </div>
  );
}

/** How the deployment's Compose files run this image: the service, its ports and where its health is read. */
export function DeploymentSection({ deployment }: { deployment: ImageDeployment }) {
  return (
    <section id="deployment" aria-labelledby="deployment-title" className="scroll-mt-20 space-y-3" data-testid="deployment-section">
      <h2 id="deployment-title" className="text-lg font-semibold">Deployment</h2>
      <div className={`${CARD.padded} space-y-4`}>
        {deployment.state === "not_configured" ? (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-deployment="not_configured">How it is declared is not known: {deployment.reason}.</p>
        ) : deployment.state === "unreadable" ? (
          <p role="alert" className="text-sm text-rose-800 dark:text-rose-300" data-deployment="unreadable">
            The Compose files cannot be read ({deployment.problems.length} problem{deployment.problems.length === 1 ? "" : "s"}, first:{" "}
            <span className={code}>{where(deployment.problems[0]?.file ?? null, deployment.problems[0]?.line ?? null)}</span> {deployment.problems[0]?.message}); see Settings.
          </p>
        ) : deployment.state === "not_run" ? (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-deployment="not_run">
            No service in <span className={code}>{deployment.files.join(", ")}</span> runs this image.
          </p>
        ) : (
          <ul className="space-y-3" data-deployment="declared">
            {deployment.services.map((s) => (
              <li key={s.name} className="text-sm" data-service={s.name}>
                <p>
                  Service <span className={`${code} font-medium`}>{s.name}</span> <span className={`text-xs ${muted}`}>{where(s.file, s.line)}</span> runs{" "}
                  <span className={`${code} [overflow-wrap:anywhere]`}>{s.image}</span>
                </p>
                <p className="mt-1">
                  Health read at{" "}
                  {s.health.port !== null ? (
                    <>
                      host port <span className={code}>{s.health.port}</span>, path <span className={code}>{s.health.path}</span>{" "}
                      <span className={`text-xs ${muted}`}>
                        ({s.health.from === "healthcheck" ? "from its health check" : "the plan's path on its only published port"}
                        {s.health.file ? `, ${where(s.health.file, s.health.line)}` : ""})
                      </span>
                    </>
                  ) : (
                    <span className={muted}>no port: {s.conflictingPorts.length > 0 ? `host port ${s.conflictingPorts.join(", ")} is published by another service too` : "neither its health check nor a single published port says where"}</span>
                  )}
                </p>
              </li>
            ))}
          </ul>
        )}
        <Running running={deployment.running} />
        <Ports ports={deployment.ports} />
      </div>
    </section>
  );
}
