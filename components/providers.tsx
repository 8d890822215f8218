"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { ViewerProvider, type Viewer } from "@/components/auth/viewer";

export function Providers({ viewer, children }: { viewer: Viewer; children: React.ReactNode }) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 2_000, retry: 1 } } }));
  return (
    <ViewerProvider viewer={viewer}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </ViewerProvider>
  );
}
