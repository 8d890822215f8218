import type { BuildLog } from "@/lib/builds/log";

// Logs of the builds running in this process, for live readers. On globalThis because Next.js may
// load this module more than once (instrumentation, route handlers, server actions).
const hub = ((globalThis as unknown as { lucidLogHub?: Map<number, BuildLog> }).lucidLogHub ??= new Map<number, BuildLog>());

export const liveLog = (buildId: number): BuildLog | undefined => hub.get(buildId);
export const publishLog = (buildId: number, log: BuildLog): void => void hub.set(buildId, log);
export const retireLog = (buildId: number): void => void hub.delete(buildId);
