import Link from "next/link";
import clsx from "clsx";
import type { BaseImageRow, BasesView } from "@/lib/views/bases";
import { Badge } from "@/components/ui/badge";
import { CARD } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/time";
import { CheckBasesButton, RebuildStaleButton } from "@/components/supply-chain/base-actions";
import { EVIDENCE, FRESHNESS, shortDigest } from "@/components/supply-chain/tones";

/** The Base images page: what needs a rebuild first, then every base with the images built from it. */
export function BasesViewPanel({ view }: { view: BasesView }) {
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight">Base images</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600 dark:text-slate-300">
            Every image the plan&apos;s Dockerfiles build FROM, what its tag points at now, and the pushed images built from an older digest.
            An image is judged by its provenance (the digest BuildKit resolved) or, without one, by its layers.
          </p>
          <p className="mt-1 text-xs text-slate-500 dark:text-slate-400" data-testid="bases-schedule">
            {view.lastCheckedAt ? <>Registries last asked <RelativeTime at={view.lastCheckedAt} />. </> : "No registry asked yet. "}
            {view.scheduleMinutes !== null ? `Checked every ${view.scheduleMinutes} min.` : "Checked on demand only (set LUCID_BASE_CHECK_INTERVAL_MIN to schedule)."}
          </p>
        </div>
        <CheckBasesButton />
      </div>

      <RebuildSummary view={view} />

      {view.bases.length === 0 ? (
        <p className={clsx(CARD.padded, "text-sm text-slate-600 dark:text-slate-300")}>No Dockerfile in the checkout names a base that can move (or none could be read).</p>
      ) : (
        <ul className="space-y-4" aria-label="Base images">
          {byRepository(view.bases).map(([repository, tags]) => <RepositoryCard key={repository} repository={repository} tags={tags} />)}
        </ul>
      )}

      {view.skipped.length > 0 ? (
        <section aria-labelledby="not-followed" className={clsx(CARD.padded, "text-sm")}>
          <h2 id="not-followed" className="font-semibold">Bases not followed</h2>
          <ul className="mt-2 space-y-1 text-slate-600 dark:text-slate-300">
            {view.skipped.map((s) => <li key={`${s.image} ${s.reason}`}><Link className="font-mono text-xs underline" href={`/images/${s.image}`}>{s.image}</Link>: {s.reason}</li>)}
          </ul>
        </section>
      ) : null}
      {view.unread.length > 0 ? (
        <details className={clsx(CARD.padded, "text-sm")} data-testid="unread-dockerfiles">
          <summary className="cursor-pointer font-semibold">
            {view.unread.length} Dockerfile{view.unread.length === 1 ? "" : "s"} not read, so {view.unread.length === 1 ? "its bases are" : "their bases are"} not known
          </summary>
          <ul className="mt-2 space-y-1 text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">
            {view.unread.map((s) => <li key={s.image}><Link className="font-mono text-xs underline" href={`/images/${s.image}`}>{s.image}</Link>: {s.reason}</li>)}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

function RebuildSummary({ view }: { view: BasesView }) {
  const n = view.needRebuild.length;
  if (n === 0) {
    const uses = view.bases.flatMap((b) => b.images);
    const current = uses.filter((u) => u.state === "up-to-date").length;
    const unknown = uses.length - current;
    return (
      <p className={clsx(CARD.padded, "text-sm")} data-testid="rebuild-summary" data-count="0">
        {uses.length === 0
          ? "No image of the plan builds FROM a base that can move."
          : `No image is known to need a rebuild: ${current} of ${uses.length} base use${uses.length === 1 ? " is" : "s are"} current${unknown > 0 ? `, ${unknown} unknown (not checked yet, no pushed build, or no evidence to judge by)` : ""}.`}
        {view.lastCheckedAt === null ? " Press Check now to ask the registries what each base's tag points at." : ""}
      </p>
    );
  }
  return (
    <section className={clsx(CARD.padded, "border-amber-300 dark:border-amber-700")} data-testid="rebuild-summary" data-count={n} aria-labelledby="rebuild-title">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id="rebuild-title" className="text-lg font-semibold">{n} image{n === 1 ? " needs" : "s need"} a rebuild</h2>
          <p className="text-sm text-slate-600 dark:text-slate-300">Built from an older digest of a base that has moved since:</p>
          <ul className="mt-2 flex flex-wrap gap-1.5">
            {view.needRebuild.map((name) => (
              <li key={name}><Link href={`/images/${name}#supply-chain`} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs hover:underline dark:bg-slate-800">{name}</Link></li>
            ))}
          </ul>
        </div>
        <RebuildStaleButton images={view.needRebuild} />
      </div>
    </section>
  );
}

/** Bases grouped by repository, the repository with the most stale uses first; tags in the order given. */
function byRepository(bases: BaseImageRow[]): [string, BaseImageRow[]][] {
  const groups = new Map<string, BaseImageRow[]>();
  for (const base of bases) groups.set(base.repository, [...(groups.get(base.repository) ?? []), base]);
  const stale = (tags: BaseImageRow[]) => tags.reduce((n, t) => n + t.stale, 0);
  return [...groups].sort(([, a], [, b]) => stale(b) - stale(a));
}

function RepositoryCard({ repository, tags }: { repository: string; tags: BaseImageRow[] }) {
  const uses = tags.flatMap((t) => t.images);
  const counts = { stale: uses.filter((i) => i.state === "stale").length, current: uses.filter((i) => i.state === "up-to-date").length, unknown: uses.filter((i) => i.state === "unknown").length };
  const planImage = tags.find((t) => t.planImage)?.planImage ?? null;
  return (
    <li className={CARD.bare} data-repository={repository}>
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-3 dark:border-slate-800">
        <h2 className="min-w-0 font-mono text-sm font-semibold [overflow-wrap:anywhere]">{repository}</h2>
        <div className="flex flex-wrap gap-1.5">
          {planImage ? <Badge tone="sky" dot={false}>plan image {planImage}</Badge> : null}
          {counts.stale > 0 ? <Badge tone="amber">{counts.stale} need{counts.stale === 1 ? "s" : ""} rebuild</Badge> : null}
          {counts.current > 0 ? <Badge tone="green">{counts.current} current</Badge> : null}
          {counts.unknown > 0 ? <Badge tone="outline">{counts.unknown} unknown</Badge> : null}
        </div>
      </div>
      <div className="divide-y divide-slate-200 dark:divide-slate-800">
        {tags.map((base) => <TagBlock key={base.reference} base={base} />)}
      </div>
    </li>
  );
}

function TagBlock({ base }: { base: BaseImageRow }) {
  return (
    <section data-base={base.reference} data-stale={base.stale} aria-label={base.reference}>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 px-4 py-3 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Tag</dt>
          <dd className="font-mono text-xs font-semibold [overflow-wrap:anywhere]">{base.tag}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">{base.planImage ? "Latest push" : "Digest now"}</dt>
          <dd className="font-mono text-xs" title={base.digest ?? undefined} data-testid="base-digest">{base.digest ? shortDigest(base.digest) : "not known"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">{base.planImage ? "Pushed" : "Checked"}</dt>
          <dd>{base.checkedAt ? <RelativeTime at={base.checkedAt} /> : "never"}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500 dark:text-slate-400">Moved</dt>
          <dd>{base.planImage ? "with each push" : base.movedAt ? <RelativeTime at={base.movedAt} /> : base.checkedAt ? "not since first checked" : "—"}</dd>
        </div>
      </dl>
      {base.error ? <p className="px-4 pb-2 text-xs text-rose-700 [overflow-wrap:anywhere] dark:text-rose-400" role="note">Last check failed: {base.error}</p> : null}
      <ul className="divide-y divide-slate-100 border-t border-slate-100 dark:divide-slate-800 dark:border-slate-800">
        {base.images.map((use) => (
          <li key={`${use.image} ${use.final}`} className="flex flex-col gap-1 px-4 py-2 sm:flex-row sm:items-baseline sm:gap-3" data-image={use.image} data-state={use.state}>
            <span className="flex shrink-0 items-baseline gap-2 sm:w-72">
              <Badge tone={FRESHNESS[use.state].tone}>{FRESHNESS[use.state].label}</Badge>
              <Link href={`/images/${use.image}#supply-chain`} className="font-mono text-xs hover:underline">{use.image}</Link>
            </span>
            <span className="min-w-0 text-xs text-slate-600 [overflow-wrap:anywhere] dark:text-slate-300">
              {use.final ? "" : "builder stage · "}
              {use.evidence ? `${EVIDENCE[use.evidence]} · ` : ""}
              {use.build ? <Link href={`/builds/${use.build}`} className="underline">build #{use.build}</Link> : null}
              {use.build ? ": " : ""}
              {use.detail}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
