-- Only deployed images are probed now (a pushed build, or a target an admin saved). The others' stored state and
-- open incidents came from probing nothing deployed: forget the state and close those incidents.
UPDATE "HealthIncident" SET "endedAt" = CAST(strftime('%s', 'now') AS INTEGER) * 1000
WHERE "endedAt" IS NULL AND "imageId" IN (
  SELECT i."id" FROM "Image" i
  WHERE i."healthTargetSetAt" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "Build" b WHERE b."imageId" = i."id" AND b."pushed" = 1 AND b."status" = 'succeeded')
);
DELETE FROM "HealthStatus" WHERE "imageId" IN (
  SELECT i."id" FROM "Image" i
  WHERE i."healthTargetSetAt" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "Build" b WHERE b."imageId" = i."id" AND b."pushed" = 1 AND b."status" = 'succeeded')
);
