-- CreateEnum
CREATE TYPE "BuildStatus" AS ENUM ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted');

-- CreateEnum
CREATE TYPE "BuildSource" AS ENUM ('dashboard', 'api', 'imported');

-- CreateEnum
CREATE TYPE "ProbeOutcome" AS ENUM ('up', 'degraded', 'down', 'timeout', 'refused', 'dns', 'bad_body', 'error');

-- CreateEnum
CREATE TYPE "HealthState" AS ENUM ('up', 'down', 'degraded', 'failing', 'unknown');

-- CreateEnum
CREATE TYPE "IncidentKind" AS ENUM ('down', 'degraded');

-- CreateTable
CREATE TABLE "PlanImport" (
    "id" SERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "phaseCount" INTEGER NOT NULL,
    "imageCount" INTEGER NOT NULL,
    "created" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "removed" INTEGER NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PlanImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Phase" (
    "id" SERIAL NOT NULL,
    "number" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "required" INTEGER NOT NULL,

    CONSTRAINT "Phase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Image" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "repository" TEXT NOT NULL,
    "tags" JSONB NOT NULL,
    "dockerfile" TEXT NOT NULL,
    "context" TEXT NOT NULL,
    "platforms" JSONB NOT NULL,
    "push" BOOLEAN NOT NULL DEFAULT true,
    "port" INTEGER,
    "healthPath" TEXT DEFAULT '/health',
    "healthExpectField" TEXT,
    "healthExpectValue" TEXT,
    "healthTargetSetAt" TIMESTAMP(3),
    "expectedUser" TEXT NOT NULL DEFAULT '65532:65532',
    "sourceLine" INTEGER,
    "phaseId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Image_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Build" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "status" "BuildStatus" NOT NULL,
    "source" "BuildSource" NOT NULL,
    "startedBy" TEXT,
    "queuedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "exitCode" INTEGER,
    "builder" TEXT,
    "argv" JSONB,
    "tags" JSONB NOT NULL,
    "platforms" JSONB NOT NULL,
    "pushed" BOOLEAN NOT NULL DEFAULT false,
    "digest" TEXT,
    "reportedSizeBytes" INTEGER,
    "logPath" TEXT,
    "logIncomplete" TEXT,
    "failureReason" TEXT,
    "cancelRequestedAt" TIMESTAMP(3),
    "cancelledBy" TEXT,
    "pid" INTEGER,
    "pidIdentity" TEXT,
    "evidence" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Build_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BuildReportKey" (
    "id" SERIAL NOT NULL,
    "reporter" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "bodySha256" TEXT NOT NULL,
    "buildId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BuildReportKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BuildPlatform" (
    "id" SERIAL NOT NULL,
    "buildId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "compressedBytes" INTEGER,
    "digest" TEXT,
    "configDigest" TEXT,
    "config" JSONB,
    "diffIds" JSONB,

    CONSTRAINT "BuildPlatform_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiToken" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "scopes" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMP(3),
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "ApiToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "HealthSample" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "outcome" "ProbeOutcome" NOT NULL,
    "httpStatus" INTEGER,
    "latencyMs" INTEGER,
    "error" TEXT,

    CONSTRAINT "HealthSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthRollup" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "up" INTEGER NOT NULL,
    "degraded" INTEGER NOT NULL DEFAULT 0,
    "medianMs" INTEGER,
    "p95Ms" INTEGER,

    CONSTRAINT "HealthRollup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthIncident" (
    "id" SERIAL NOT NULL,
    "imageId" INTEGER NOT NULL,
    "kind" "IncidentKind" NOT NULL DEFAULT 'down',
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "reason" TEXT NOT NULL,

    CONSTRAINT "HealthIncident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthStatus" (
    "imageId" INTEGER NOT NULL,
    "state" "HealthState" NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastSampleAt" TIMESTAMP(3),

    CONSTRAINT "HealthStatus_pkey" PRIMARY KEY ("imageId")
);

-- CreateTable
CREATE TABLE "user" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "emailVerified" BOOLEAN NOT NULL DEFAULT false,
    "image" TEXT,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "token" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "ipAddress" TEXT,
    "userAgent" TEXT,
    "userId" TEXT NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "providerId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "accessToken" TEXT,
    "refreshToken" TEXT,
    "idToken" TEXT,
    "accessTokenExpiresAt" TIMESTAMP(3),
    "refreshTokenExpiresAt" TIMESTAMP(3),
    "scope" TEXT,
    "password" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification" (
    "id" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunningContainer" (
    "id" SERIAL NOT NULL,
    "service" TEXT NOT NULL,
    "project" TEXT,
    "containerName" TEXT NOT NULL,
    "image" TEXT NOT NULL,
    "imageId" TEXT,
    "repoDigests" JSONB NOT NULL,
    "state" TEXT NOT NULL,
    "health" TEXT,
    "startedAt" TIMESTAMP(3),
    "status" TEXT,
    "source" TEXT NOT NULL,
    "observedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RunningContainer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupplyChain" (
    "id" SERIAL NOT NULL,
    "buildId" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL,
    "error" TEXT,
    "summary" JSONB,

    CONSTRAINT "SupplyChain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BaseImage" (
    "id" SERIAL NOT NULL,
    "reference" TEXT NOT NULL,
    "digest" TEXT,
    "checkedAt" TIMESTAMP(3),
    "attemptedAt" TIMESTAMP(3),
    "movedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "BaseImage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BaseDigest" (
    "id" SERIAL NOT NULL,
    "baseImageId" INTEGER NOT NULL,
    "digest" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "platforms" JSONB NOT NULL,

    CONSTRAINT "BaseDigest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VulnerabilityScan" (
    "id" SERIAL NOT NULL,
    "buildId" INTEGER NOT NULL,
    "scanner" TEXT NOT NULL,
    "scannerVersion" TEXT,
    "format" TEXT NOT NULL,
    "databaseBuiltAt" TIMESTAMP(3),
    "scannedAt" TIMESTAMP(3),
    "digest" TEXT,
    "digestNote" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "importedBy" TEXT NOT NULL,
    "critical" INTEGER NOT NULL,
    "high" INTEGER NOT NULL,
    "medium" INTEGER NOT NULL,
    "low" INTEGER NOT NULL,
    "unknown" INTEGER NOT NULL,
    "fixable" INTEGER NOT NULL,
    "fixableCriticalHigh" INTEGER NOT NULL,
    "unknownFixCriticalHigh" INTEGER NOT NULL,

    CONSTRAINT "VulnerabilityScan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VulnerabilityFinding" (
    "id" SERIAL NOT NULL,
    "scanId" INTEGER NOT NULL,
    "vulnerabilityId" TEXT NOT NULL,
    "package" TEXT NOT NULL,
    "installed" TEXT NOT NULL,
    "fixedIn" TEXT,
    "fixState" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "cvss" DOUBLE PRECISION,
    "title" TEXT,
    "url" TEXT,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VulnerabilityFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationChannel" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "events" JSONB NOT NULL,
    "phases" JSONB NOT NULL,
    "images" JSONB NOT NULL,
    "settings" JSONB NOT NULL,
    "secrets" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationEvent" (
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "image" TEXT,
    "phase" INTEGER,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationDelivery" (
    "id" SERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "channelKey" TEXT NOT NULL,
    "channelName" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "lastStatus" TEXT,
    "lastError" TEXT,
    "lastAttemptAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationState" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NotificationState_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Phase_number_key" ON "Phase"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Image_name_key" ON "Image"("name");

-- CreateIndex
CREATE INDEX "Image_phaseId_step_idx" ON "Image"("phaseId", "step");

-- CreateIndex
CREATE INDEX "Build_imageId_id_idx" ON "Build"("imageId", "id");

-- CreateIndex
CREATE INDEX "Build_imageId_status_id_idx" ON "Build"("imageId", "status", "id");

-- CreateIndex
CREATE INDEX "Build_status_idx" ON "Build"("status");

-- CreateIndex
CREATE UNIQUE INDEX "BuildReportKey_buildId_key" ON "BuildReportKey"("buildId");

-- CreateIndex
CREATE UNIQUE INDEX "BuildReportKey_reporter_key_key" ON "BuildReportKey"("reporter", "key");

-- CreateIndex
CREATE UNIQUE INDEX "BuildPlatform_buildId_platform_key" ON "BuildPlatform"("buildId", "platform");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_name_key" ON "ApiToken"("name");

-- CreateIndex
CREATE UNIQUE INDEX "ApiToken_tokenHash_key" ON "ApiToken"("tokenHash");

-- CreateIndex
CREATE INDEX "HealthSample_imageId_at_idx" ON "HealthSample"("imageId", "at");

-- CreateIndex
CREATE INDEX "HealthSample_at_idx" ON "HealthSample"("at");

-- CreateIndex
CREATE UNIQUE INDEX "HealthRollup_imageId_hour_key" ON "HealthRollup"("imageId", "hour");

-- CreateIndex
CREATE INDEX "HealthIncident_imageId_startedAt_idx" ON "HealthIncident"("imageId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "user_email_key" ON "user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_key" ON "session"("token");

-- CreateIndex
CREATE INDEX "session_userId_idx" ON "session"("userId");

-- CreateIndex
CREATE INDEX "account_userId_idx" ON "account"("userId");

-- CreateIndex
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "RunningContainer_service_idx" ON "RunningContainer"("service");

-- CreateIndex
CREATE UNIQUE INDEX "SupplyChain_buildId_key" ON "SupplyChain"("buildId");

-- CreateIndex
CREATE UNIQUE INDEX "BaseImage_reference_key" ON "BaseImage"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "BaseDigest_baseImageId_digest_key" ON "BaseDigest"("baseImageId", "digest");

-- CreateIndex
CREATE INDEX "VulnerabilityScan_buildId_id_idx" ON "VulnerabilityScan"("buildId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "VulnerabilityFinding_scanId_vulnerabilityId_package_install_key" ON "VulnerabilityFinding"("scanId", "vulnerabilityId", "package", "installed");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationChannel_name_key" ON "NotificationChannel"("name");

-- CreateIndex
CREATE INDEX "NotificationDelivery_status_nextAttemptAt_idx" ON "NotificationDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "NotificationDelivery_channelKey_id_idx" ON "NotificationDelivery"("channelKey", "id");

-- AddForeignKey
ALTER TABLE "Image" ADD CONSTRAINT "Image_phaseId_fkey" FOREIGN KEY ("phaseId") REFERENCES "Phase"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Build" ADD CONSTRAINT "Build_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuildReportKey" ADD CONSTRAINT "BuildReportKey_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BuildPlatform" ADD CONSTRAINT "BuildPlatform_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthSample" ADD CONSTRAINT "HealthSample_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthRollup" ADD CONSTRAINT "HealthRollup_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthIncident" ADD CONSTRAINT "HealthIncident_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthStatus" ADD CONSTRAINT "HealthStatus_imageId_fkey" FOREIGN KEY ("imageId") REFERENCES "Image"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account" ADD CONSTRAINT "account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupplyChain" ADD CONSTRAINT "SupplyChain_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BaseDigest" ADD CONSTRAINT "BaseDigest_baseImageId_fkey" FOREIGN KEY ("baseImageId") REFERENCES "BaseImage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VulnerabilityScan" ADD CONSTRAINT "VulnerabilityScan_buildId_fkey" FOREIGN KEY ("buildId") REFERENCES "Build"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VulnerabilityFinding" ADD CONSTRAINT "VulnerabilityFinding_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "VulnerabilityScan"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "NotificationEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
