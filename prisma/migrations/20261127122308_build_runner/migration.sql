-- AlterTable
ALTER TABLE "Build" ADD COLUMN "cancelRequestedAt" DATETIME;
ALTER TABLE "Build" ADD COLUMN "cancelledBy" TEXT;
ALTER TABLE "Build" ADD COLUMN "pid" INTEGER;

-- AlterTable
ALTER TABLE "BuildPlatform" ADD COLUMN "config" JSONB;
