"use client";

import { useEffect, useState } from "react";

/** The current time, refreshed every `everyMs`, for "since" texts that should age while the page is open. */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
