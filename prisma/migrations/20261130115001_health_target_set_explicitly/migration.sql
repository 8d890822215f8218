-- AlterTable
ALTER TABLE "Image" ADD COLUMN "healthTargetSetAt" DATETIME;

-- Targets an admin set before this column existed count as set then (from the audit log).
UPDATE "Image" SET "healthTargetSetAt" = (
  SELECT max("at") FROM "AuditEvent" WHERE "action" = 'settings.health_target' AND "target" = 'image ' || "Image"."name"
);
