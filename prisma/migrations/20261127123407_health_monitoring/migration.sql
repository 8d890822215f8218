-- AlterTable
ALTER TABLE "Image" ADD COLUMN "healthExpectField" TEXT;
ALTER TABLE "Image" ADD COLUMN "healthExpectValue" TEXT;

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "HealthSample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "imageId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "outcome" TEXT NOT NULL,
    "httpStatus" INTEGER,
    "latencyMs" INTEGER,
    "error" TEXT,
    CONSTRAINT "HealthSample_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthRollup" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "imageId" INTEGER NOT NULL,
    "hour" DATETIME NOT NULL,
    "samples" INTEGER NOT NULL,
    "up" INTEGER NOT NULL,
    "medianMs" INTEGER,
    "p95Ms" INTEGER,
    CONSTRAINT "HealthRollup_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthIncident" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "imageId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME,
    "reason" TEXT NOT NULL,
    CONSTRAINT "HealthIncident_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "HealthStatus" (
    "imageId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "state" TEXT NOT NULL,
    "since" DATETIME NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastSampleAt" DATETIME,
    CONSTRAINT "HealthStatus_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "HealthSample_imageId_at_idx" ON "HealthSample"("imageId", "at");

-- CreateIndex
CREATE INDEX "HealthSample_at_idx" ON "HealthSample"("at");

-- CreateIndex
CREATE UNIQUE INDEX "HealthRollup_imageId_hour_key" ON "HealthRollup"("imageId", "hour");

-- CreateIndex
CREATE INDEX "HealthIncident_imageId_startedAt_idx" ON "HealthIncident"("imageId", "startedAt");
