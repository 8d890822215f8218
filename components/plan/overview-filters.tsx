"use client";

import { useEffect, useRef } from "react";
import { STATUS_FILTERS, STATUS_FILTER_LABELS, NO_FILTER, isFiltered, type OverviewFilter, type StatusFilter } from "@/lib/views/overview-filter";

const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

type Props = {
  filter: OverviewFilter;
  onChange: (next: OverviewFilter) => void;
  phases: { number: number; name: string; category: string }[];
  shown: number;
  total: number;
};

/** Search (focused with "/"), status and phase; the address keeps them, so a filtered overview can be shared. */
export function OverviewFilters({ filter, onChange, phases, shown, total }: Props) {
  const search = useRef<HTMLInputElement>(null);
  // Arriving at /#search ("/" pressed on another page, components/ui/keyboard-shortcuts.tsx): the search has focus.
  useEffect(() => {
    if (window.location.hash === "#search") search.current?.focus();
  }, []);
  return (
    <div className="flex flex-wrap items-center gap-2" role="search" aria-label="Filter images" data-testid="overview-filters">
      <label className="relative min-w-0 flex-1 basis-48">
        <span className="sr-only">Search images by name</span>
        <input
          ref={search}
          id="search"
          type="search"
          value={filter.q}
          onChange={(e) => onChange({ ...filter, q: e.target.value })}
          placeholder="Search images"
          aria-keyshortcuts="/"
          autoComplete="off"
          className={`${control} w-full pr-8`}
        />
        <kbd aria-hidden className="pointer-events-none absolute right-2 top-1/2 -translate-y-1/2 rounded border border-slate-300 px-1 text-[11px] text-slate-500 dark:border-slate-600 dark:text-slate-400">/</kbd>
      </label>
      <label className="flex items-center gap-1.5 text-sm">
        <span className="text-slate-600 dark:text-slate-300">Status</span>
        <select value={filter.status ?? ""} onChange={(e) => onChange({ ...filter, status: (e.target.value || null) as StatusFilter | null })} className={control}>
          <option value="">Any</option>
          {STATUS_FILTERS.map((s) => (
            <option key={s} value={s}>{STATUS_FILTER_LABELS[s]}</option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1.5 text-sm">
        <span className="text-slate-600 dark:text-slate-300">Phase</span>
        <select value={filter.phase ?? ""} onChange={(e) => onChange({ ...filter, phase: e.target.value ? Number(e.target.value) : null })} className={control}>
          <option value="">All</option>
          {phases.map((p) => (
            <option key={p.number} value={p.number}>{p.name}: {p.category}</option>
          ))}
        </select>
      </label>
      <p className="text-sm tabular-nums text-slate-600 dark:text-slate-300" role="status" data-testid="filter-count">
        {isFiltered(filter) ? `${shown} of ${total} images` : `${total} images`}
      </p>
      {isFiltered(filter) ? (
        <button type="button" onClick={() => onChange(NO_FILTER)} className="text-sm font-medium text-sky-700 hover:underline dark:text-sky-400">
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
