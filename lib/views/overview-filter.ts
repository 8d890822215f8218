// The overview's filters (status, phase, name), kept in the address so a filtered view can be linked and shared.
import type { ImageOverview } from "@/lib/views/overview";

export const STATUS_FILTERS = ["failed", "building", "not_built", "pushed"] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export const STATUS_FILTER_LABELS: Record<StatusFilter, string> = {
  failed: "Failed",
  building: "Building or queued",
  not_built: "Not built",
  pushed: "Pushed",
};

export type OverviewFilter = { status: StatusFilter | null; phase: number | null; q: string };

export const NO_FILTER: OverviewFilter = { status: null, phase: null, q: "" };

type Params = { get(name: string): string | null };

/** Reads the filter from a query string; anything unknown is ignored rather than refused (it is a view, not data). */
export function parseOverviewFilter(params: Params): OverviewFilter {
  const status = params.get("status");
  const phase = Number(params.get("phase"));
  return {
    status: (STATUS_FILTERS as readonly string[]).includes(status ?? "") ? (status as StatusFilter) : null,
    phase: Number.isInteger(phase) && phase > 0 ? phase : null,
    q: (params.get("q") ?? "").trim().slice(0, 100),
  };
}

/** The overview's address for a filter: "/?status=failed&phase=4", or "/" for none. */
export function overviewHref(filter: OverviewFilter, hash = ""): string {
  const params = new URLSearchParams();
  if (filter.status) params.set("status", filter.status);
  if (filter.phase !== null) params.set("phase", String(filter.phase));
  if (filter.q) params.set("q", filter.q);
  const query = params.toString();
  return `/${query ? `?${query}` : ""}${hash}`;
}

export function isFiltered(filter: OverviewFilter): boolean {
  return filter.status !== null || filter.phase !== null || filter.q !== "";
}

function matchesStatus(image: ImageOverview, status: StatusFilter): boolean {
  switch (status) {
    case "failed":
      return image.state === "failed";
    case "building":
      return image.state === "building" || image.state === "queued";
    case "not_built":
      return image.state === "not_built";
    case "pushed":
      return image.shipped;
  }
}

/** Whether an image of `phase` is shown under the filter; the search matches name, title or repository. */
export function matchesFilter(image: ImageOverview, phase: number, filter: OverviewFilter): boolean {
  if (filter.phase !== null && phase !== filter.phase) return false;
  if (filter.status !== null && !matchesStatus(image, filter.status)) return false;
  if (!filter.q) return true;
  const q = filter.q.toLowerCase();
  return [image.name, image.title, image.repository].some((text) => text.toLowerCase().includes(q));
}
