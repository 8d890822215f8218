import Link from "next/link";
import { notFound } from "next/navigation";
import type { Metadata } from "next";
import { loadBuild } from "@/lib/plan/queries";
import { jsonStrings } from "@/lib/plan/json";
import { displayCommand, formatBytes, formatDuration } from "@/lib/format";
import { ImageStateBadge } from "@/components/status-badge";
import { imageState } from "@/lib/builds/status";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ id: string }> };

function parseId(raw: string): number | null {
  return /^[1-9][0-9]{0,9}$/.test(raw) ? Number(raw) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Build #${(await params).id}` };
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 px-4 py-3 sm:grid-cols-[12rem_1fr] sm:gap-4">
      <dt className="text-sm text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 text-sm">{children}</dd>
    </div>
  );
}

const missing = <span className="text-slate-400 dark:text-slate-500">not recorded</span>;

export default async function BuildPage({ params }: Props) {
  const id = parseId((await params).id);
  if (id === null) notFound();
  const build = await loadBuild(id);
  if (!build) notFound();

  const argv = build.argv === null ? null : jsonStrings(build.argv);
  const tags = jsonStrings(build.tags);
  const platforms = jsonStrings(build.platforms);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500 dark:text-slate-400">
        <Link href="/" className="hover:underline">Overview</Link>
        <span aria-hidden> / </span>
        <Link href={`/#phase-${build.image.phase.number}`} className="hover:underline">{build.image.phase.name}</Link>
        <span aria-hidden> / </span>
        <span>{build.image.name}</span>
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">
          Build #{build.id} <span className="font-normal text-slate-500 dark:text-slate-400">of {build.image.title}</span>
        </h1>
        <ImageStateBadge state={imageState(build)} />
      </div>

      {build.evidence ? (
        <aside className="rounded-xl border border-amber-300/60 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-400/30 dark:bg-amber-500/10 dark:text-amber-200">
          <p className="font-medium">Imported record</p>
          <p className="mt-1">This build was not observed by the dashboard. Its figures are quoted from: {build.evidence}</p>
        </aside>
      ) : null}

      <dl className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white shadow-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        <Row label="Status">{build.status}{build.pushed ? ", pushed" : ""}</Row>
        <Row label="Source">{build.source}{build.startedBy ? ` (${build.startedBy})` : ""}</Row>
        <Row label="Started">{build.startedAt ? build.startedAt.toISOString() : missing}</Row>
        <Row label="Finished">{build.finishedAt ? build.finishedAt.toISOString() : missing}</Row>
        <Row label="Duration">{build.durationMs === null ? missing : formatDuration(build.durationMs)}</Row>
        <Row label="Reported size">{build.reportedSizeBytes === null ? missing : formatBytes(build.reportedSizeBytes)}</Row>
        <Row label="Per-platform size">
          {build.sizes.length === 0
            ? missing
            : build.sizes.map((s) => (
                <span key={s.platform} className="mr-4 font-mono">{s.platform}: {formatBytes(s.compressedBytes)}</span>
              ))}
        </Row>
        <Row label="Platforms">{platforms.length ? <span className="font-mono">{platforms.join(", ")}</span> : missing}</Row>
        <Row label="Tags">
          {tags.length ? (
            <ul className="space-y-0.5 font-mono">{tags.map((t) => <li key={t}>{t}</li>)}</ul>
          ) : missing}
        </Row>
        <Row label="Digest">{build.digest ? <span className="break-all font-mono">{build.digest}</span> : missing}</Row>
        <Row label="Builder">{build.builder ?? missing}</Row>
        <Row label="Command">
          {argv ? (
            <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-950 p-3 font-mono text-xs leading-relaxed text-slate-100">{displayCommand(argv)}</pre>
          ) : missing}
        </Row>
        {build.failureReason ? <Row label="Failure">{build.failureReason}</Row> : null}
      </dl>
    </div>
  );
}
