-- AlterTable
ALTER TABLE "BuildPlatform" ADD COLUMN "diffIds" JSONB;

-- CreateTable
CREATE TABLE "SupplyChain" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "buildId" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "readAt" DATETIME NOT NULL,
    "error" TEXT,
    "summary" JSONB,
    CONSTRAINT "SupplyChain_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "BaseImage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reference" TEXT NOT NULL,
    "digest" TEXT,
    "checkedAt" DATETIME,
    "attemptedAt" DATETIME,
    "movedAt" DATETIME,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "BaseDigest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "baseImageId" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "platforms" JSONB NOT NULL,
    CONSTRAINT "BaseDigest_baseImageId_fkey" FOREIGN KEY ("baseImageId") REFERENCES "BaseImage" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "SupplyChain_buildId_key" ON "SupplyChain"("buildId");

-- CreateIndex
CREATE UNIQUE INDEX "BaseImage_reference_key" ON "BaseImage"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "BaseDigest_baseImageId_digest_key" ON "BaseDigest"("baseImageId", "digest");
