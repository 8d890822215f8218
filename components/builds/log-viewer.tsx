"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import clsx from "clsx";
import { structureLog, type LineMark, type LogItem, type LogStep, type StepStatus } from "@/lib/builds/log-structure";

type Line = { n: number; text: string };

const STEP_ICON: Record<StepStatus, { mark: string; className: string; label: string }> = {
  done: { mark: "✓", className: "text-emerald-400", label: "done" },
  cached: { mark: "↺", className: "text-slate-400", label: "cached" },
  error: { mark: "✕", className: "text-rose-400", label: "failed" },
  canceled: { mark: "–", className: "text-amber-300", label: "cancelled" },
  running: { mark: "●", className: "animate-pulse text-sky-400", label: "running" },
};

function LogRow({ line, mark }: { line: Line; mark: LineMark | undefined }) {
  return (
    <div id={`L${line.n}`} className={clsx("flex scroll-mt-24 hover:bg-slate-900 target:bg-sky-900/60", mark === "error" && "bg-rose-950/70 text-rose-100", mark === "dim" && "text-slate-400")} data-mark={mark}>
      <span aria-hidden className="w-14 shrink-0 select-none pr-3 text-right text-slate-400">{line.n}</span>
      <span className="whitespace-pre-wrap break-all pr-4">{line.text}</span>
    </div>
  );
}

/** Opens the step a line is folded in, then shows the line: a link from the error list into a closed group. */
function reveal(n: number, open: (key: string) => void, items: readonly LogItem[]) {
  const step = items.find((item): item is LogStep => item.kind === "step" && item.lines.some((l) => l.n === n));
  if (step) open(step.key);
  requestAnimationFrame(() => {
    const row = document.getElementById(`L${n}`);
    row?.scrollIntoView({ block: "center" });
    history.replaceState(null, "", `#L${n}`);
  });
}

/**
 * The build log, streamed from /api/builds/{id}/log (server-sent events) while the build runs and
 * read whole once it has finished. Follows the end unless the reader scrolls up.
 */
export function LogViewer({ buildId, active, failed }: { buildId: number; active: boolean; /** The build failed: list its errors, open the failing step. */ failed: boolean }) {
  const [lines, setLines] = useState<Line[]>([]);
  const [ended, setEnded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notices, setNotices] = useState<string[]>([]);
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const log = useMemo(() => structureLog(lines, { finished: !active || ended, failed }), [lines, active, ended, failed]);
  // Folded by default like a CI run page, except the step that failed and the one running; the reader's choice wins.
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const isOpen = (step: LogStep) => toggled[step.key] ?? (step.status === "error" || step.status === "running");
  const setAll = (open: boolean) => setToggled(Object.fromEntries(log.items.flatMap((i) => (i.kind === "step" ? [[i.key, open]] : []))));
  const hasSteps = log.items.some((i) => i.kind === "step");

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
      {failed && log.errors.length > 0 ? (
        <div className="rounded-xl border border-rose-300 bg-rose-50 p-3 text-sm dark:border-rose-500/40 dark:bg-rose-500/10" data-testid="log-errors">
          <h2 className="font-semibold text-rose-800 dark:text-rose-300">
            {log.errors.length} error line{log.errors.length === 1 ? "" : "s"} in the log
          </h2>
          <ol className="mt-2 space-y-1">
            {log.errors.map((line) => (
              <li key={line.n} className="flex gap-2">
                <a
                  href={`#L${line.n}`}
                  onClick={(e) => {
                    e.preventDefault();
                    reveal(line.n, (key) => setToggled((t) => ({ ...t, [key]: true })), log.items);
                  }}
                  className="shrink-0 font-mono text-xs text-rose-800 underline dark:text-rose-300"
                >
                  line {line.n}
                </a>
                <span className="min-w-0 font-mono text-xs text-rose-900 [overflow-wrap:anywhere] dark:text-rose-200">{line.text}</span>
              </li>
            ))}
          </ol>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="log-title" className="text-lg font-semibold">Log</h2>
        <div className="flex items-center gap-3 text-xs">
          {hasSteps ? (
            <>
              <button type="button" onClick={() => setAll(true)} className="font-medium text-sky-700 hover:underline dark:text-sky-400">Expand all</button>
              <button type="button" onClick={() => setAll(false)} className="font-medium text-sky-700 hover:underline dark:text-sky-400">Collapse all</button>
            </>
          ) : null}
          <span className="text-slate-500 dark:text-slate-400" data-testid="log-status">
            {error ? "log unavailable" : ended ? `${lines.length} lines` : active ? "streaming…" : "loading…"}
          </span>
        </div>
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
        aria-label="Build log"
        data-testid="build-log"
        tabIndex={0}
      >
        {error ? <p className="px-4 text-rose-300">{error}</p> : null}
        {lines.length === 0 && !error ? <p className="px-4 text-slate-400">{ended ? "The log is empty." : "Waiting for output…"}</p> : null}
        {log.items.map((item) =>
          item.kind === "plain" ? (
            item.lines.map((line) => <LogRow key={line.n} line={line} mark={log.marks.get(line.n)} />)
          ) : (
            <details
              key={item.key}
              open={isOpen(item)}
              onToggle={(e) => {
                const open = e.currentTarget.open;
                if (open !== isOpen(item)) setToggled((t) => ({ ...t, [item.key]: open }));
              }}
              data-step={item.key}
              data-status={item.status}
            >
              <summary className="flex cursor-pointer list-none items-baseline gap-2 px-2 hover:bg-slate-900 [&::-webkit-details-marker]:hidden">
                <span aria-hidden className="w-3 shrink-0 text-slate-400">{isOpen(item) ? "▾" : "▸"}</span>
                <span className={clsx("w-4 shrink-0 text-center", STEP_ICON[item.status].className)} title={STEP_ICON[item.status].label}>
                  {STEP_ICON[item.status].mark}
                  <span className="sr-only"> {STEP_ICON[item.status].label}:</span>
                </span>
                <span className={clsx("min-w-0 flex-1 truncate", item.status === "error" && "text-rose-300")} title={item.title}>{item.title}</span>
                <span className="shrink-0 pr-3 tabular-nums text-slate-400">
                  {[item.durationS !== null ? `${item.durationS.toFixed(1)} s` : null, `${item.lines.length} line${item.lines.length === 1 ? "" : "s"}`].filter(Boolean).join(" · ")}
                </span>
              </summary>
              <div className="border-l border-slate-800 ml-3">
                {item.lines.map((line) => <LogRow key={line.n} line={line} mark={log.marks.get(line.n)} />)}
              </div>
            </details>
          ),
        )}
      </div>
      {notices.map((notice) => (
        <p key={notice} role="status" className="text-sm text-amber-800 dark:text-amber-300" data-testid="log-notice">{notice}</p>
      ))}
    </section>
  );
}
