import Link from "next/link";
import clsx from "clsx";
import type { ImageSupplyChainView } from "@/lib/views/bases";
import type { PlatformAttestations } from "@/lib/supply-chain/summary";
import { formatUtc } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { CARD } from "@/components/ui/card";
import { Facts } from "@/components/ui/facts";
import { RelativeTime } from "@/components/ui/time";
import { EVIDENCE, FRESHNESS, SIGNATURE, shortDigest } from "@/components/supply-chain/tones";

const muted = "text-slate-500 dark:text-slate-400";

const REFERRERS = { supported: "answered", unsupported: "not offered by this registry", failed: "the registry answered with errors (see below)" } as const;

/** What the latest push is made of, who signed it, what it was built from, and whether its bases moved since. */
export function SupplyChainSection({ view }: { view: ImageSupplyChainView }) {
  return (
    <section id="supply-chain" aria-labelledby="supply-chain-title" className="scroll-mt-20 space-y-3" data-testid="supply-chain">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="supply-chain-title" className="text-lg font-semibold">Supply chain</h2>
        <p className={clsx("text-xs", muted)}>
          {view.build ? <>Latest push: <Link className="underline" href={`/builds/${view.build.id}`}>build #{view.build.id}</Link>{view.build.digest ? <span className="font-mono" title={view.build.digest}> {shortDigest(view.build.digest)}</span> : null}. </> : null}
          {view.readAt ? <>Registry read <RelativeTime at={view.readAt} />.</> : view.build && !view.notRead ? "Its attestations have not been read yet." : null}{" "}
          <Link href="/bases" className="underline">Base images</Link>
        </p>
      </div>
      {!view.build ? <p className={clsx(CARD.padded, "text-sm", muted)}>No pushed build yet: nothing in the registry to read.</p> : null}
      {view.notRead && !view.summary ? <p className={clsx(CARD.padded, "text-sm [overflow-wrap:anywhere]", muted)} data-testid="not-read">Attestations and signature not read: the build was {view.notRead}.</p> : null}
      {view.readError ? <p role="note" className={clsx(CARD.padded, "text-sm text-rose-700 [overflow-wrap:anywhere] dark:text-rose-400")}>The registry could not be read: {view.readError}</p> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        <Bases view={view} />
        {view.summary ? <Signature view={view} /> : null}
      </div>
      {view.summary ? (
        <div className="grid gap-4 lg:grid-cols-2">
          {view.summary.platforms.map((p) => <PlatformCard key={p.digest} platform={p} />)}
        </div>
      ) : null}
      {view.summary && view.summary.problems.length > 0 ? (
        <div className={clsx(CARD.padded, "text-sm")} data-testid="supply-chain-problems">
          <h3 className="font-medium">Refused while reading</h3>
          <ul className="mt-1 list-disc space-y-1 pl-5 text-xs text-rose-700 [overflow-wrap:anywhere] dark:text-rose-400">
            {view.summary.problems.map((p) => <li key={p}>{p}</li>)}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function Bases({ view }: { view: ImageSupplyChainView }) {
  return (
    <div className={CARD.padded} data-testid="supply-chain-bases">
      <h3 className="text-sm font-medium">Bases</h3>
      {view.bases.length === 0 ? (
        <p className={clsx("mt-1 text-sm", muted)}>{view.dockerfileProblem ? `Not known: ${view.dockerfileProblem}` : "No base that can move (FROM scratch, or pinned by digest)."}</p>
      ) : (
        <ul className="mt-2 space-y-2">
          {view.bases.map((b) => (
            <li key={`${b.base} ${b.line}`} data-base={b.base} data-state={b.state} className="text-sm">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={FRESHNESS[b.state].tone}>{FRESHNESS[b.state].label}</Badge>
                <span className="font-mono text-xs [overflow-wrap:anywhere]">{b.base}</span>
              </div>
              <p className={clsx("mt-0.5 text-xs [overflow-wrap:anywhere]", muted)}>
                Dockerfile line {b.line}{b.final ? "" : " (builder stage)"}{b.evidence ? `, judged ${EVIDENCE[b.evidence]}` : ""}: {b.detail}
              </p>
            </li>
          ))}
        </ul>
      )}
      {view.skipped.length > 0 ? <p className={clsx("mt-2 text-xs", muted)}>Not followed: {view.skipped.join("; ")}</p> : null}
    </div>
  );
}

function Signature({ view }: { view: ImageSupplyChainView }) {
  const signature = view.summary!.signature;
  const tone = SIGNATURE[signature.state];
  return (
    <div className={CARD.padded} data-testid="signature" data-state={signature.state}>
      <h3 className="text-sm font-medium">Signature</h3>
      <div className="mt-2"><Badge tone={tone.tone}>{tone.label}</Badge></div>
      <p className={clsx("mt-1 text-xs [overflow-wrap:anywhere]", muted)}>{signature.detail}{signature.identity ? ` · signed for ${signature.identity}` : ""}</p>
      <p className={clsx("mt-2 text-xs", muted)}>
        Referrers API: {REFERRERS[view.summary!.referrers]}. cosign&apos;s sha256-….sig tag is always looked for.
      </p>
    </div>
  );
}

function PlatformCard({ platform }: { platform: PlatformAttestations }) {
  const { sbom, provenance } = platform;
  const bases = provenance?.materials.filter((m) => m.reference !== null) ?? [];
  return (
    <div className={CARD.padded} data-platform={platform.platform}>
      <h3 className="flex flex-wrap items-baseline gap-2 text-sm font-medium">
        {platform.platform}
        <span className={clsx("font-mono text-xs font-normal", muted)} title={platform.digest}>{shortDigest(platform.digest)}</span>
        {platform.forms.length > 0 ? <span className={clsx("text-xs font-normal", muted)}>· {platform.forms.map((f) => (f === "index-entry" ? "index attestations" : "OCI artifacts")).join(" and ")}</span> : null}
      </h3>
      <Facts
        className="mt-2"
        labelWidth="6.5rem"
        rows={[
          [
            "SBOM",
            sbom ? (
              <span data-testid="sbom">
                {sbom.packages} packages
                {sbom.copyleftCount > 0 ? <span className="text-amber-800 dark:text-amber-300"> · {sbom.copyleftCount} GPL/AGPL: {sbom.copyleft.slice(0, 5).map((c) => `${c.name} (${c.license})`).join(", ")}{sbom.copyleftCount > 5 ? ", …" : ""}</span> : " · none GPL/AGPL"}
              </span>
            ) : (
              <span className={muted}>none</span>
            ),
          ],
          ["Provenance", provenance ? <span data-testid="provenance">{provenance.predicateType.replace("https://slsa.dev/provenance/", "SLSA ")}{provenance.builder ? ` · ${provenance.builder}` : ""}</span> : <span className={muted}>none</span>],
          ...(provenance
            ? ([
                ["Source", provenance.source ? <span className="font-mono text-xs">{provenance.source}{provenance.revision ? ` @ ${provenance.revision.slice(0, 12)}` : ""}</span> : <span className={muted}>not recorded</span>],
                ["Dockerfile", provenance.dockerfile ? <span className="font-mono text-xs">{provenance.dockerfile}</span> : <span className={muted}>not recorded</span>],
                ["Built", provenance.startedOn && provenance.finishedOn ? <span>{formatUtc(provenance.startedOn)} → {formatUtc(provenance.finishedOn).slice(11)}</span> : <span className={muted}>not recorded</span>],
                [
                  "From",
                  bases.length > 0 ? (
                    <ul className="space-y-0.5 font-mono text-xs">
                      {bases.map((m) => <li key={m.uri} title={m.digest ?? undefined}>{m.reference}{m.digest ? ` @ ${shortDigest(m.digest)}` : ""}</li>)}
                    </ul>
                  ) : (
                    <span className={muted}>no image materials</span>
                  ),
                ],
              ] as [string, React.ReactNode][])
            : []),
        ]}
      />
    </div>
  );
}
