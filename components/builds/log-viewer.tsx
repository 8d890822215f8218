"use client";

import { useEffect, useRef, useState } from "react";

type Line = { n: number; text: string };

/**
 * The build log, streamed from /api/builds/{id}/log (server-sent events) while the build runs and
 * read whole once it has finished. Follows the end unless the reader scrolls up.
 */
export function LogViewer({ buildId, active }: { buildId: number; active: boolean }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  useEffect(() => {
    const source = new EventSource(`/api/builds/${buildId}/log`);
    let pending: Line[] = [];
    let frame = 0;
    const flush = () => {
      frame = 0;
      const batch = pending;
      pending = [];
      setLines((prev) => [...prev, ...batch.filter((l) => l.n > (prev.at(-1)?.n ?? 0))]);
    };
    source.addEventListener("line", (event) => {
      pending.push(JSON.parse((event as MessageEvent<string>).data) as Line);
      if (!frame) frame = requestAnimationFrame(flush);
    });
    source.addEventListener("end", () => {
      setEnded(true);
      source.close();
    });
    source.addEventListener("notice", (event) => {
      const text = JSON.parse((event as MessageEvent<string>).data) as string;
      setNotices((prev) => (prev.includes(text) ? prev : [...prev, text]));
    });
    source.addEventListener("problem", (event) => {
      setError(JSON.parse((event as MessageEvent<string>).data) as string);
      source.close();
    });
    return () => {
      source.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [buildId]);

  useEffect(() => {
    if (follow.current && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines]);

  return (
    <section aria-labelledby="log-title" className="space-y-2">
      <div className="flex items-center justify-between">
        <h2 id="log-title" className="text-lg font-semibold">Log</h2>
        <span className="text-xs text-slate-500 dark:text-slate-400" data-testid="log-status">
          {error ? "log unavailable" : ended ? `${lines.length} lines` : active ? "streaming…" : "loading…"}
        </span>
      </div>
      <div
        ref={box}
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
        className="max-h-[32rem] min-h-40 overflow-auto rounded-xl border border-slate-800 bg-slate-950 py-3 font-mono text-xs leading-5 text-slate-200"
        role="log"
        aria-live="off"
        data-testid="build-log"
        tabIndex={0}
      >
        {error ? <p className="px-4 text-rose-300">{error}</p> : null}
        {lines.length === 0 && !error ? <p className="px-4 text-slate-500">{ended ? "The log is empty." : "Waiting for output…"}</p> : null}
        {lines.map((line) => (
          <div key={line.n} className="flex hover:bg-slate-900">
            <span aria-hidden className="w-14 shrink-0 select-none pr-3 text-right text-slate-600">{line.n}</span>
            <span className="whitespace-pre-wrap break-all pr-4">{line.text}</span>
          </div>
        ))}
      </div>
      {notices.map((notice) => (
        <p key={notice} role="status" className="text-sm text-amber-800 dark:text-amber-300" data-testid="log-notice">{notice}</p>
      ))}
    </section>
  );
}
