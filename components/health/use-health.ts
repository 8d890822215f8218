"use client";

import { useQuery } from "@tanstack/react-query";
import { getJson, REFRESH_MS } from "@/components/live/queries";
import type { HealthOverview, ImageHealthDetail } from "@/lib/health/queries";

export const HEALTH_KEY = ["health"] as const;
export const imageHealthKey = (name: string) => ["health", "image", name] as const;

/** Every image's health (GET /api/health), refreshed every 3 s like the rest of the open page. */
export function useHealth(initial?: HealthOverview) {
  return useQuery({
    queryKey: HEALTH_KEY,
    queryFn: () => getJson<HealthOverview>("/api/health"),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
}

/** One image's health (GET /api/health/{name}) for its page. */
export function useImageHealth(name: string, initial?: ImageHealthDetail) {
  return useQuery({
    queryKey: imageHealthKey(name),
    queryFn: () => getJson<ImageHealthDetail>(`/api/health/${encodeURIComponent(name)}`),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
}
