// Runs once when the Next.js server starts: the build worker lives as long as the server.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { buildWorker } = await import("@/lib/builds/worker");
  await buildWorker().start();
}
