import { execFileSync } from "node:child_process";

/** A fresh API token in the e2e database, through the real CLI. */
export function createToken(name: string, scopes: string[] = ["builds:write"]): string {
  return execFileSync(process.execPath, ["bin/lucid.mjs", "token", "create", name, ...scopes.flatMap((s) => ["--scope", s])], {
    env: { ...process.env, DATABASE_URL: "file:./data/e2e.db" },
    stdio: ["ignore", "pipe", "ignore"],
  })
    .toString()
    .trim();
}

/** A finished build as an outside builder reports it to POST /api/builds. */
export function buildReport(image: string, minutes: number, extra: Record<string, unknown> = {}) {
  const finishedAt = new Date(Date.now() - 60_000);
  const startedAt = new Date(finishedAt.getTime() - minutes * 60_000);
  return {
    image,
    status: "succeeded",
    pushed: true,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    platforms: ["linux/arm64", "linux/amd64"],
    ...extra,
  };
}
