-- CreateTable
CREATE TABLE "RunningContainer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "service" TEXT NOT NULL,
    "project" TEXT,
    "containerName" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "imageId" TEXT,
    "repoDigests" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "health" TEXT,
    "startedAt" DATETIME,
    "status" TEXT,
    "source" TEXT NOT NULL,
    "observedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "RunningContainer_service_idx" ON "RunningContainer"("service");
