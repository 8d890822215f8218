import type { Metadata } from "next";
import { prisma } from "@/lib/db/client";
import { blackboxLabel, getDeployTarget, healthSettings, proberSettings } from "@/lib/health/settings";
import { listTargets } from "@/lib/health/targets";
import { MAX_REDIRECTS } from "@/lib/health/probe";
import { DeployTargetForm } from "@/app/settings/deploy-target-form";
import { ComposeForm } from "@/app/settings/compose-form";
import { DeclaredSummary } from "@/components/deploy/declared-summary";
import { loadDeclaredDeployment, loadComposeSettings } from "@/lib/views/queries";
import { requireRole } from "@/lib/auth/session";
import { PERMISSIONS } from "@/lib/auth/roles";
import { CARD } from "@/components/ui/card";
import { ThisDashboard } from "@/components/settings/this-dashboard";
import { dashboardInstances } from "@/lib/views/instances";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

const code = "font-mono text-[0.9em]";

/** Changes the deployment host: admins only (the form's server action checks again). */
export default async function SettingsPage() {
  await requireRole(PERMISSIONS["settings:write"]);
  const settings = healthSettings();
  const prober = proberSettings();
  const [target, compose, declared, instances] = await Promise.all([getDeployTarget(prisma), loadComposeSettings(), loadDeclaredDeployment(), dashboardInstances(prisma)]);
  // What the poller really probes: deployed images with a target (not every image that has a port).
  const polled = (await listTargets(prisma, target)).length;
  const envHost = process.env.LUCID_DEPLOY_HOST?.trim() || null;
  const intervalS = settings.intervalMs / 1000;

  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Where the dashboard looks for the deployed services, and how it checks them.</p>
      </div>

      <section aria-labelledby="deploy-title" className={`${CARD.roomy} space-y-4`}>
        <h2 id="deploy-title" className="text-lg font-semibold">Health monitoring</h2>
        {target ? (
          <p role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-900 dark:border-emerald-500/40 dark:bg-emerald-500/10 dark:text-emerald-200" data-testid="polling-state">
            Polling is on: {polled} service{polled === 1 ? "" : "s"} on <span className={code}>{target.scheme}://{target.host}</span>, every {intervalS} s.
          </p>
        ) : (
          <div role="status" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200" data-testid="polling-state">
            <p className="font-medium">Polling is off: no deployment host is set, so no service is probed.</p>
            <p className="mt-1">
              To turn it on, enter the host the services run on below (for example <span className={code}>pi.local</span>), or start the
              dashboard with <span className={code}>LUCID_DEPLOY_HOST=pi.local</span> (<span className={code}>https://pi.local</span> or{" "}
              <span className={code}>LUCID_DEPLOY_SCHEME=https</span> for TLS).
            </p>
          </div>
        )}
        {envHost ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            <span className={code}>LUCID_DEPLOY_HOST</span> is set to <span className={code}>{envHost}</span>: it is applied again each time the
            dashboard starts, replacing what is saved here.
          </p>
        ) : null}
        <DeployTargetForm stored={target} />
      </section>

      <section aria-labelledby="compose-title" className={`${CARD.roomy} space-y-4`}>
        <div>
          <h2 id="compose-title" className="text-lg font-semibold">Deployment: Compose files</h2>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
            The Compose files the Pi is deployed with, in the Lucid checkout. They say which image each service runs, where its health is
            read, and how it is hardened (read-only, capabilities, user, network), which the compliance rules measure.
            {compose.source === "environment" ? <> Now from <span className={code}>LUCID_COMPOSE_FILES</span>.</> : null}
          </p>
        </div>
        <ComposeForm files={compose.source === "setting" ? compose.files : []} envFile={compose.source === "setting" ? (compose.envFile ?? null) : null} />
        <DeclaredSummary read={declared} />
      </section>

      <section aria-labelledby="how-title" className={`${CARD.roomy} space-y-3 text-sm text-slate-700 dark:text-slate-300`}>
        <h2 id="how-title" className="text-lg font-semibold text-slate-900 dark:text-slate-100">How polling works</h2>
        <ul className="list-disc space-y-1.5 pl-5">
          <li data-testid="prober">
            {prober.kind === "blackbox" ? (
              <>
                Probes go through the Prometheus blackbox exporter at <span className={code}>{blackboxLabel(prober.url)}</span> with its module{" "}
                <span className={code}>{prober.module}</span> (<span className={code}>LUCID_HEALTH_PROBER=blackbox</span>): the exporter sends each
                GET, and its module, not the dashboard, judges the answer (the body only if the module checks it, e.g. with{" "}
                <span className={code}>fail_if_body_not_matches_regexp</span>). Expectations set with <em>Edit target</em> are not applied. While the
                exporter cannot be reached (or answers wrongly), services are shown as <em>not checked</em>, naming it: not as up, and not as
                failing.
              </>
            ) : (
              <>
                The dashboard sends the probes itself (<span className={code}>LUCID_HEALTH_PROBER=direct</span>, the default;{" "}
                <span className={code}>blackbox</span> sends them through a Prometheus blackbox exporter).
              </>
            )}
          </li>
          <li>
            Every {intervalS} s {prober.kind === "blackbox" ? "the exporter is asked to send" : "the dashboard sends"}{" "}
            <span className={code}>GET scheme://host:port/path</span> to each deployed image that has a port
            and a health path: from the Compose files when they are configured, else from the plan; <em>Edit target</em> on the image
            page overrides both. Images without them are shown as <em>not polled</em>, images not deployed as <em>not deployed</em>.
          </li>
          {prober.kind === "blackbox" ? (
            <li>
              A probe has {settings.timeoutMs} ms: the exporter is told so and gives its own probe that long less its{" "}
              <span className={code}>--timeout-offset</span> (0.5 s by default). A failure the exporter reports makes a service{" "}
              <em>failing</em>; {settings.threshold} failures in a row make it <em>down</em>, which opens an incident until it ends.
            </li>
          ) : (
            <>
              <li>
                A probe has {settings.timeoutMs} ms to finish, body included. Any 2xx answer is <em>up</em>; with an expectation (e.g.{" "}
                <span className={code}>status</span> = <span className={code}>healthy</span>) the JSON body must say so. Only the first{" "}
                {settings.maxBodyBytes / 1024} KB of a body are read, and redirects are followed up to {MAX_REDIRECTS} times on the same host and port.
              </li>
              <li>
                A 2xx answer whose body says the service is degraded makes it <em>degraded</em>, and one that says it is unhealthy (or any other
                status) counts as a failure. A failure makes a service <em>failing</em>; {settings.threshold} failures in a row make it <em>down</em>.
                Being down or degraded opens an incident, which closes when that ends.
              </li>
            </>
          )}
          <li>
            At most {settings.concurrency} probes run at once, their starts spread over up to a tenth of the interval. Each probe is kept for{" "}
            {settings.retentionDays} days, then summarised per hour (uptime, median and 95th percentile latency).
          </li>
          <li>
            Changing the host starts every service&apos;s state over from <em>unknown</em>. The limits come from{" "}
            <span className={code}>LUCID_HEALTH_INTERVAL_S</span>, <span className={code}>LUCID_HEALTH_TIMEOUT_MS</span>,{" "}
            <span className={code}>LUCID_HEALTH_THRESHOLD</span>, <span className={code}>LUCID_HEALTH_CONCURRENCY</span> and{" "}
            <span className={code}>LUCID_HEALTH_RETENTION_DAYS</span>, read at start.
          </li>
        </ul>
      </section>

      <ThisDashboard info={instances} />
    </div>
  );
}
