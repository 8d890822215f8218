-- Hourly counts (HealthRollup) are now kept as samples are recorded; count the samples already stored into them,
-- so uptime can be read from the hourly rows alone. Hours already compacted have no raw samples left.
INSERT INTO "HealthRollup" ("imageId", "hour", "samples", "up", "degraded")
SELECT "imageId", ("at" / 3600000) * 3600000, count(*), sum("outcome" = 'up'), sum("outcome" = 'degraded')
FROM "HealthSample" WHERE true
GROUP BY "imageId", ("at" / 3600000) * 3600000
ON CONFLICT ("imageId", "hour") DO UPDATE SET
  "samples" = "samples" + excluded."samples", "up" = "up" + excluded."up", "degraded" = "degraded" + excluded."degraded";
