-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_HealthIncident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "imageId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'down',
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "reason" TEXT NOT NULL,
    CONSTRAINT "HealthIncident_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_HealthIncident" ("endedAt", "id", "imageId", "reason", "startedAt") SELECT "endedAt", "id", "imageId", "reason", "startedAt" FROM "HealthIncident";
DROP TABLE "HealthIncident";
ALTER TABLE "new_HealthIncident" RENAME TO "HealthIncident";
CREATE INDEX "HealthIncident_imageId_startedAt_idx" ON "HealthIncident"("imageId", "startedAt");
CREATE TABLE "new_HealthRollup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "imageId" INTEGER NOT NULL,
    "hour" DATETIME NOT NULL,
    "samples" INTEGER NOT NULL,
    "up" INTEGER NOT NULL,
    "degraded" INTEGER NOT NULL DEFAULT 0,
    "medianMs" INTEGER,
    "p95Ms" INTEGER,
    CONSTRAINT "HealthRollup_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_HealthRollup" ("hour", "id", "imageId", "medianMs", "p95Ms", "samples", "up") SELECT "hour", "id", "imageId", "medianMs", "p95Ms", "samples", "up" FROM "HealthRollup";
DROP TABLE "HealthRollup";
ALTER TABLE "new_HealthRollup" RENAME TO "HealthRollup";
CREATE UNIQUE INDEX "HealthRollup_imageId_hour_key" ON "HealthRollup"("imageId", "hour");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Until now "degraded" meant "failing, not yet down"; the service-reported state takes that name.
UPDATE "HealthStatus" SET "state" = 'failing' WHERE "state" = 'degraded';
