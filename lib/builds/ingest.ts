// Build reports from outside builders (POST /api/builds): validated here, written as one Build row.
import { createHash } from "node:crypto";
import { takeWriteLock } from "@/lib/db/write-lock";
import { notifyBuildOutcome } from "@/lib/notifications/build-events";
import { z } from "zod";
import { isActiveBuildStatus, type BuildStatus } from "@/lib/db/vocabulary";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { jsonStrings } from "@/lib/db/json";
import { PLATFORM_PATTERN } from "@/lib/registry/reference";
import { audit, type Actor } from "@/lib/audit/audit";

/** An outside build is reported once, when it has finished; the dashboard never waits on it. */
const REPORTABLE_STATUSES = ["succeeded", "failed", "cancelled"] as const satisfies readonly BuildStatus[];
export type ReportableStatus = (typeof REPORTABLE_STATUSES)[number];

/** How far finishedAt may lie ahead of the server clock (builders' clocks drift a little). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
// durationMs and the byte counts are 32-bit integer columns; a week is far beyond any real build.
const MAX_DURATION_MS = 7 * 24 * 3_600_000;
const MAX_INT32 = 2_147_483_647;
const MAX_REPORTED_ISSUES = 10;

const DIGEST_PATTERN = /^sha256:[0-9a-f]{64}$/;
const CONTROL_CHARACTERS = /\p{Cc}/u;

export class IngestError extends Error {
  override name = "IngestError";
  constructor(
    readonly status: 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

export type IngestResult = {
  id: number;
  image: string;
  status: ReportableStatus;
  pushed: boolean;
  /** True when this answers a retry: the report was recorded before, under the same Idempotency-Key. */
  replayed: boolean;
};

/**
 * An `Idempotency-Key` header (IETF httpapi draft): a retry that sends the same key and body gets the first
 * result, not a second record. Printable ASCII, optionally quoted as a structured-field string.
 */
export type ReportIdempotency = { key: string; body: Uint8Array };

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The key from the header value, or an IngestError (422) saying what a key must look like. */
export function parseIdempotencyKey(header: string | null): string | null {
  if (header === null) return null;
  const value = header.trim().replace(/^"(.*)"$/, "$1");
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new IngestError(422, "Idempotency-Key: must be 1 to 255 printable ASCII characters without spaces, e.g. a UUID");
  }
  return value;
}

/** A value quoted in an error message, cut short so a hostile body cannot make the message huge. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function requiredOr(message: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : message);
}

function statusProblem(issue: { input?: unknown }): string {
  const { input } = issue;
  if (input === undefined) return "is required";
  if (typeof input === "string" && isActiveBuildStatus(input)) {
    return `only finished builds can be reported (${REPORTABLE_STATUSES.join(", ")}), not "${input}": report the build once it has ended`;
  }
  return `must be one of ${REPORTABLE_STATUSES.join(", ")}; got ${quote(input)}`;
}

function splitImageNames(value: string): string[] {
  return value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Newlines and other control characters become single spaces: the reason is shown on one line. */
function collapseToOneLine(value: string): string {
  return value.replace(/[\s\p{Cc}]+/gu, " ").trim();
}

const isoDateTime = z.iso.datetime({
  offset: true,
  error: requiredOr("must be an ISO 8601 date-time with a time zone, e.g. 2026-11-27T10:00:00Z"),
});
const platform = z.string().regex(PLATFORM_PATTERN, { error: "must be os/arch or os/arch/variant, e.g. linux/arm64" });
const digest = z.string().regex(DIGEST_PATTERN, { error: "must be sha256: followed by 64 lowercase hex digits" });
const tag = z
  .string()
  .min(1)
  .max(256)
  .regex(/^\S+$/, { error: "must not contain spaces" });
const tagList = z.array(tag).max(100);
const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !CONTROL_CHARACTERS.test(value), { error: "must be one line, without control characters" });

/** The JSON that `docker buildx build --metadata-file` writes; only these two keys are used, the rest is dropped. */
const buildxMetadata = z.object({
  "containerimage.digest": digest.optional(),
  "image.name": z.string().max(25_600).transform(splitImageNames).pipe(tagList).optional(),
});

/** The body of POST /api/builds. */
const buildReportSchema = z.strictObject({
  image: z.string({ error: requiredOr("must be a string") }).min(1).max(128),
  status: z.enum(REPORTABLE_STATUSES, { error: statusProblem }),
  startedAt: isoDateTime,
  finishedAt: isoDateTime,
  pushed: z.boolean().default(false),
  tags: tagList.optional(),
  platforms: z
    .array(platform)
    .min(1)
    .max(16)
    .transform((list) => [...new Set(list)])
    .optional(),
  sizes: z.record(platform, z.number().int().min(0).max(MAX_INT32)).optional(),
  digest: digest.optional(),
  exitCode: z
    .number()
    .int()
    .min(-MAX_INT32 - 1)
    .max(MAX_INT32)
    .optional(),
  failureReason: z.string().max(10_000).transform(collapseToOneLine).pipe(z.string().max(500)).optional(),
  builder: oneLine(200).optional(),
  argv: z.array(z.string().max(4096)).min(1).max(1000).optional(),
  startedBy: oneLine(200).optional(),
  metadata: buildxMetadata.optional(),
});

/** A report as a builder sends it. */
export type BuildReportInput = z.input<typeof buildReportSchema>;
/** A report after validation, with defaults applied. */
export type BuildReport = z.output<typeof buildReportSchema>;

const FIELD_NAMES = Object.keys(buildReportSchema.shape).join(", ");

const ARTICLE_TYPES: Record<string, string> = { int: "an integer", array: "a list", object: "an object", record: "an object" };

/** Plainer wording for zod's generic type errors; everything else keeps zod's own message. */
const plainTypeErrors: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== "invalid_type") return undefined;
  if (issue.input === undefined) return "is required";
  const expected = ARTICLE_TYPES[issue.expected] ?? `a ${issue.expected}`;
  const received = issue.input === null ? "null" : Array.isArray(issue.input) ? "a list" : typeof issue.input;
  return `must be ${expected}, got ${received}`;
};

function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${quote(String(segment))}]`;
  }
  return text;
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const where = formatPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field (known fields: ${FIELD_NAMES})`);
    case "invalid_key":
      return [`${where}: the key ${issue.issues.map((inner) => inner.message).join("; ")}`];
    default:
      // Only a type error can sit at the root: "the body must be an object, got a list".
      return [where === "" ? `the body ${issue.message}` : `${where}: ${issue.message}`];
  }
}

/** zod's issues as "field: problem" text, at most MAX_REPORTED_ISSUES of them. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.flatMap(describeIssue);
  const shown = lines.slice(0, MAX_REPORTED_ISSUES);
  if (lines.length > shown.length) shown.push(`and ${lines.length - shown.length} more`);
  return shown.join("; ");
}

function parseBuildReport(body: unknown): BuildReport {
  const result = buildReportSchema.safeParse(body, { error: plainTypeErrors });
  if (!result.success) throw new IngestError(422, describeIssues(result.error.issues));
  return result.data;
}

type Timing = { startedAt: Date; finishedAt: Date; durationMs: number };

function timingProblems(report: BuildReport, now: Date): { timing: Timing; problems: string[] } {
  const startedAt = new Date(report.startedAt);
  const finishedAt = new Date(report.finishedAt);
  const problems: string[] = [];
  if (Number.isNaN(startedAt.getTime())) problems.push("startedAt: is not a real date");
  if (Number.isNaN(finishedAt.getTime())) problems.push("finishedAt: is not a real date");
  const durationMs = finishedAt.getTime() - startedAt.getTime();
  if (durationMs < 0) problems.push("finishedAt is before startedAt");
  if (durationMs > MAX_DURATION_MS) problems.push("finishedAt is more than 7 days after startedAt");
  if (finishedAt.getTime() - now.getTime() > MAX_CLOCK_SKEW_MS) {
    problems.push(`finishedAt is more than 5 minutes in the future (server time is ${now.toISOString()})`);
  }
  return { timing: { startedAt, finishedAt, durationMs }, problems };
}

function outcomeProblems(report: BuildReport): string[] {
  const problems: string[] = [];
  if (report.pushed && report.status !== "succeeded") {
    problems.push(`pushed: only a succeeded build can be pushed, and this one ${report.status}`);
  }
  if (report.exitCode !== undefined) {
    if (report.status === "succeeded" && report.exitCode !== 0) {
      problems.push(`exitCode: a succeeded build exits with 0, not ${report.exitCode}`);
    }
    if (report.status === "failed" && report.exitCode === 0) problems.push("exitCode: a failed build cannot exit with 0");
  }
  const metadataDigest = report.metadata?.["containerimage.digest"];
  if (report.digest !== undefined && metadataDigest !== undefined && report.digest !== metadataDigest) {
    problems.push('digest: differs from metadata["containerimage.digest"]');
  }
  return problems;
}

function sizeProblems(sizes: Record<string, number> | undefined, platforms: readonly string[]): string[] {
  return Object.keys(sizes ?? {})
    .filter((key) => !platforms.includes(key))
    .map((key) => `sizes[${quote(key)}]: ${key} is not among the build's platforms (${platforms.join(", ") || "none"})`);
}

function refuse(problems: string[]): void {
  if (problems.length > 0) throw new IngestError(422, problems.join("; "));
}

/**
 * Validates a build report and records it as one Build (with its per-platform sizes) in one transaction.
 * `reporter` names who sent it (e.g. "token ci"): the default for startedBy and the audit actor (audited in the
 * same transaction).
 * Throws IngestError (422 for an invalid report, 404 for an image the plan does not have); nothing is
 * written then.
 */
export async function ingestBuild(
  prisma: PrismaClient,
  body: unknown,
  reporter: Actor,
  now: Date = new Date(),
  idempotency?: ReportIdempotency,
): Promise<IngestResult> {
  const key = idempotency ? { key: idempotency.key, bodySha256: createHash("sha256").update(idempotency.body).digest("hex") } : null;
  if (key) {
    const earlier = await replayReport(prisma, reporter, key);
    if (earlier) return earlier;
  }
  const report = parseBuildReport(body);
  const { timing, problems } = timingProblems(report, now);
  refuse([...problems, ...outcomeProblems(report)]);

  try {
    return await recordReport(prisma, report, timing, reporter, key);
  } catch (error) {
    // The same key, sent again while the first request was being written: answer with what that one recorded.
    const earlier = key && isUniqueViolation(error) ? await replayReport(prisma, reporter, key) : null;
    if (earlier) return earlier;
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The build an earlier request with this reporter and key recorded; 422 when that request had another body. */
async function replayReport(prisma: PrismaClient, reporter: Actor, key: { key: string; bodySha256: string }): Promise<IngestResult | null> {
  const earlier = await prisma.buildReportKey.findUnique({
    where: { reporter_key: { reporter, key: key.key } },
    select: { bodySha256: true, build: { select: { id: true, status: true, pushed: true, image: { select: { name: true } } } } },
  });
  if (!earlier) return null;
  if (earlier.bodySha256 !== key.bodySha256) {
    throw new IngestError(422, `Idempotency-Key ${quote(key.key)} was already used for build ${earlier.build.id} with a different body; use a new key for a new report`);
  }
  const { build } = earlier;
  return { id: build.id, image: build.image.name, status: build.status as ReportableStatus, pushed: build.pushed, replayed: true };
}

async function recordReport(
  prisma: PrismaClient,
  report: BuildReport,
  timing: Timing,
  reporter: Actor,
  key: { key: string; bodySha256: string } | null,
): Promise<IngestResult> {
  return prisma.$transaction(async (tx) => {
    await takeWriteLock(tx);
    const image = await tx.image.findUnique({
      where: { name: report.image },
      select: { id: true, name: true, platforms: true },
    });
    if (!image) throw new IngestError(404, `unknown image ${quote(report.image)}: the build plan has no image of that name`);
    const platforms = report.platforms ?? jsonStrings(image.platforms);
    refuse(sizeProblems(report.sizes, platforms));

    const build = await tx.build.create({
      data: {
        imageId: image.id,
        status: report.status,
        source: "api",
        startedBy: report.startedBy ?? reporter,
        queuedAt: timing.startedAt,
        startedAt: timing.startedAt,
        finishedAt: timing.finishedAt,
        durationMs: timing.durationMs,
        exitCode: report.exitCode ?? null,
        builder: report.builder ?? null,
        argv: report.argv,
        tags: report.tags ?? report.metadata?.["image.name"] ?? [],
        platforms,
        pushed: report.pushed,
        digest: report.digest ?? report.metadata?.["containerimage.digest"] ?? null,
        failureReason: report.failureReason || null,
        sizes: {
          create: Object.entries(report.sizes ?? {}).map(([name, bytes]) => ({ platform: name, compressedBytes: bytes })),
        },
      },
      select: { id: true, pushed: true },
    });
    if (key) await tx.buildReportKey.create({ data: { reporter, key: key.key, bodySha256: key.bodySha256, buildId: build.id } });
    await audit(reporter, "build.report", `image ${image.name}`, { build: build.id, status: report.status, pushed: build.pushed }, tx);
    await notifyBuildOutcome(tx, { imageId: image.id, buildId: build.id, status: report.status, reason: report.failureReason || null });
    return { id: build.id, image: image.name, status: report.status, pushed: build.pushed, replayed: false };
  });
}
