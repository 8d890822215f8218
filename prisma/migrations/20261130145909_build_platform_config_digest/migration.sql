-- AlterTable
ALTER TABLE "BuildPlatform" ADD COLUMN "configDigest" TEXT;
