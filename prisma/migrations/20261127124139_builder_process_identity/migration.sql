-- AlterTable
ALTER TABLE "Build" ADD COLUMN "pidIdentity" TEXT;
