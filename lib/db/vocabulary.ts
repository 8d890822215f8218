// The stored vocabulary, defined once: the enums of prisma/schema.prisma (generated into lib/generated/prisma/enums.ts)
// as lists and unions, plus the groupings every layer asks about. Labels and derived states live with their domains
// (lib/builds/status.ts, lib/health/outcomes.ts).
import { BuildSource as BuildSourceEnum, BuildStatus as BuildStatusEnum, HealthState as HealthStateEnum, ProbeOutcome as ProbeOutcomeEnum } from "@/lib/generated/prisma/enums";

export type BuildStatus = (typeof BuildStatusEnum)[keyof typeof BuildStatusEnum];
export type BuildSource = (typeof BuildSourceEnum)[keyof typeof BuildSourceEnum];
export type ProbeOutcome = (typeof ProbeOutcomeEnum)[keyof typeof ProbeOutcomeEnum];
/** Stored in HealthStatus: `unknown` until the first sample. */
export type StoredHealthState = (typeof HealthStateEnum)[keyof typeof HealthStateEnum];

const PROBE_OUTCOMES: readonly ProbeOutcome[] = Object.values(ProbeOutcomeEnum);
const STORED_HEALTH_STATES: readonly StoredHealthState[] = Object.values(HealthStateEnum);

/** A pushed build: what makes an image shipped (complete) and deployed. Every "has it been pushed" asks this. */
export const PUSHED_BUILD = { status: "succeeded", pushed: true } as const;

/** Waiting or running: at most one of these per image. */
export const ACTIVE_BUILD_STATUSES = ["queued", "running"] as const satisfies readonly BuildStatus[];
/** Ended one way or another; only these have a duration. */
export const FINISHED_BUILD_STATUSES = ["succeeded", "failed", "cancelled", "interrupted"] as const satisfies readonly BuildStatus[];

const isOneOf =
  <T extends string>(list: readonly T[]) =>
  (value: string): value is T =>
    (list as readonly string[]).includes(value);

export const isActiveBuildStatus = isOneOf<BuildStatus>(ACTIVE_BUILD_STATUSES);
/** Rows are read through these, so a value the schema does not know is noticed, never shown as a state. */
export const isProbeOutcome = isOneOf(PROBE_OUTCOMES);
export const isStoredHealthState = isOneOf(STORED_HEALTH_STATES);
