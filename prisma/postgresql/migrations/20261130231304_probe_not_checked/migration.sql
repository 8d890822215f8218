-- AlterEnum
ALTER TYPE "ProbeOutcome" ADD VALUE 'not_checked';

-- AlterTable
ALTER TABLE "HealthStatus" ADD COLUMN     "uncheckedSince" TIMESTAMP(3);
