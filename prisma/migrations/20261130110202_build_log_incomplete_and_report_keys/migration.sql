-- AlterTable
ALTER TABLE "Build" ADD COLUMN "logIncomplete" TEXT;

-- CreateTable
CREATE TABLE "BuildReportKey" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "reporter" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "bodySha256" TEXT NOT NULL,
    "buildId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BuildReportKey_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "BuildReportKey_buildId_key" ON "BuildReportKey"("buildId");

-- CreateIndex
CREATE UNIQUE INDEX "BuildReportKey_reporter_key_key" ON "BuildReportKey"("reporter", "key");
