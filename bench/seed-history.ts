import Database from "better-sqlite3";

const PLATFORMS = ["linux/arm64", "linux/amd64"];

/**
 * Adds `perImage` finished builds to every image, straight through SQLite in one transaction
 * (dates as epoch milliseconds, as the app's adapter stores them). Returns the number of builds.
 */
export function seedBuildHistory(databaseFile: string, perImage: number): number {
  const db = new Database(databaseFile);
  try {
    const images = db.prepare("SELECT id FROM Image ORDER BY id").all() as { id: number }[];
    const insertBuild = db.prepare(
      `INSERT INTO Build (imageId, status, source, startedBy, queuedAt, startedAt, finishedAt, durationMs, exitCode, tags, platforms, pushed, digest, failureReason, createdAt)
       VALUES (?, ?, 'api', 'bench', ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
    );
    const insertSize = db.prepare("INSERT INTO BuildPlatform (buildId, platform, compressedBytes) VALUES (?, ?, ?)");
    const start = Date.UTC(2025, 0, 1);
    let count = 0;
    db.transaction(() => {
      for (let n = 0; n < perImage; n++) {
        for (const image of images) {
          const ok = (n * 31 + image.id) % 7 !== 0;
          const startedAt = start + (n * images.length + image.id) * 600_000;
          const durationMs = 120_000 + ((n * 97 + image.id * 13) % 900) * 1000;
          const digest = ok ? `sha256:${(n * 1000 + image.id).toString(16).padStart(64, "0")}` : null;
          const { lastInsertRowid } = insertBuild.run(
            image.id, ok ? "succeeded" : "failed", startedAt, startedAt, startedAt + durationMs, durationMs, ok ? 0 : 1,
            JSON.stringify(PLATFORMS), ok ? 1 : 0, digest, ok ? null : "exit code 1", startedAt,
          );
          if (ok) for (const [i, platform] of PLATFORMS.entries()) insertSize.run(lastInsertRowid, platform, 30e6 + image.id * 1e6 + i * 2e6 + (n % 50) * 1e5);
          count += 1;
        }
      }
    })();
    return count;
  } finally {
    db.close();
  }
}

/**
 * Adds `total` health samples spread over every image (one every `everyS` seconds, ending now, 10% of them down and
 * 2% degraded), gives each image a port, marks them deployed and sets the deployment host to 127.0.0.1.
 * Straight through SQLite in one transaction; returns how many services were given samples.
 */
export function seedHealthHistory(databaseFile: string, total: number, everyS = 20): number {
  const db = new Database(databaseFile);
  try {
    // Every image a service: those the plan gives no port get one (loopback, never answered during the bench).
    db.prepare("UPDATE Image SET port = 20000 + id, healthPath = coalesce(healthPath, '/health') WHERE port IS NULL OR healthPath IS NULL").run();
    const images = db.prepare("SELECT id FROM Image ORDER BY id").all() as { id: number }[];
    const perImage = Math.ceil(total / images.length);
    const now = Date.now();
    const insert = db.prepare("INSERT INTO HealthSample (imageId, at, outcome, httpStatus, latencyMs, error) VALUES (?, ?, ?, ?, ?, ?)");
    db.transaction(() => {
      db.prepare("UPDATE Image SET healthTargetSetAt = ?").run(now);
      db.prepare("INSERT INTO Setting (key, value, updatedAt) VALUES ('deploy.host', '127.0.0.1', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(now);
      for (const image of images) {
        for (let n = 0; n < perImage; n++) {
          const roll = (n * 7919 + image.id * 31) % 100;
          const outcome = roll < 10 ? "down" : roll < 12 ? "degraded" : "up";
          insert.run(image.id, now - (perImage - n) * everyS * 1000, outcome, outcome === "down" ? 503 : 200, 5 + (n % 40), outcome === "up" ? null : `status "${outcome}"`);
        }
      }
      // The hourly counts the dashboard keeps as it records samples (lib/health/record.ts).
      db.prepare(`INSERT INTO HealthRollup (imageId, hour, samples, up, degraded)
        SELECT imageId, (at / 3600000) * 3600000, count(*), sum(outcome = 'up'), sum(outcome = 'degraded') FROM HealthSample WHERE true
        GROUP BY imageId, (at / 3600000) * 3600000
        ON CONFLICT (imageId, hour) DO UPDATE SET samples = excluded.samples, up = excluded.up, degraded = excluded.degraded`).run();
    })();
    return images.length;
  } finally {
    db.close();
  }
}
