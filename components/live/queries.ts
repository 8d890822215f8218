"use client";

import { useQuery } from "@tanstack/react-query";
import type { PlanOverview } from "@/lib/views/overview";
import type { ImageDetail } from "@/lib/builds/history";
import type { PlanComplianceSummary } from "@/lib/compliance/types";
import type { BurnUp } from "@/lib/views/burn-up";

/** How often open pages ask for new build records. */
export const REFRESH_MS = 3_000;

/** A GET of the dashboard's own JSON API, for the queries that keep open pages current. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export function usePlan(initial: PlanOverview) {
  return useQuery({
    queryKey: ["plan"],
    queryFn: () => getJson<PlanOverview>("/api/plan"),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
}

export function useImageDetail(initial: ImageDetail, page: number) {
  return useQuery({
    queryKey: ["image", initial.image.name, page],
    queryFn: () => getJson<ImageDetail>(`/api/images/${encodeURIComponent(initial.image.name)}?page=${page}`),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
}

/** Compliance changes with a Dockerfile or a push, so it is refreshed less often than builds. */
export function useComplianceSummary(initial: PlanComplianceSummary) {
  return useQuery({
    queryKey: ["compliance", "summary"],
    queryFn: () => getJson<PlanComplianceSummary>("/api/compliance?view=summary"),
    initialData: initial,
    refetchInterval: REFRESH_MS * 10,
  });
}

export function useBurnUp(initial: BurnUp) {
  return useQuery({
    queryKey: ["plan", "progress"],
    queryFn: () => getJson<BurnUp>("/api/plan/progress"),
    initialData: initial,
    refetchInterval: REFRESH_MS * 10,
  });
}
