-- CreateTable
CREATE TABLE "PlanImport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "source" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "phaseCount" INTEGER NOT NULL,
    "imageCount" INTEGER NOT NULL,
    "created" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "removed" INTEGER NOT NULL,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Phase" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "number" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "required" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "Image" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "dockerfile" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "platforms" JSONB NOT NULL,
    "push" BOOLEAN NOT NULL DEFAULT true,
    "port" INTEGER,
    "healthPath" TEXT DEFAULT '/health',
    "expectedUser" TEXT NOT NULL DEFAULT '65532:65532',
    "sourceLine" INTEGER,
    "phaseId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Image_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Build" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "imageId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "startedBy" TEXT,
    "queuedAt" DATETIME,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "durationMs" INTEGER,
    "exitCode" INTEGER,
    "builder" TEXT,
    "argv" JSONB,
    "tags" JSONB NOT NULL,
    "platforms" JSONB NOT NULL,
    "pushed" BOOLEAN NOT NULL DEFAULT false,
    "digest" TEXT,
    "reportedSizeBytes" INTEGER,
    "logPath" TEXT,
    "failureReason" TEXT,
    "evidence" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Build_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BuildPlatform" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "buildId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "compressedBytes" INTEGER,
    "digest" TEXT,
    CONSTRAINT "BuildPlatform_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Phase_number_key" ON "Phase"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Image_name_key" ON "Image"("name");

-- CreateIndex
CREATE INDEX "Image_phaseId_step_idx" ON "Image"("phaseId", "step");

-- CreateIndex
CREATE INDEX "Build_imageId_id_idx" ON "Build"("imageId", "id");

-- CreateIndex
CREATE INDEX "Build_status_idx" ON "Build"("status");

-- CreateIndex
CREATE UNIQUE INDEX "BuildPlatform_buildId_platform_key" ON "BuildPlatform"("buildId", "platform");
