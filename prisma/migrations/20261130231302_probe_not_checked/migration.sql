-- AlterTable
ALTER TABLE "HealthStatus" ADD COLUMN "uncheckedSince" DATETIME;
