// Roles and what each may do: the one definition. Pages hide what a role cannot do, and every server action,
// mutating page and API route checks the same table on the server (lib/auth/session.ts, lib/auth/request.ts).

/** From least to most: each role may do everything the roles before it may. */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const DEFAULT_ROLE: Role = "viewer";

/** Every permission and the least role that has it. */
export const PERMISSIONS = {
  /** Pages and GET APIs. */
  read: "viewer",
  /** Rebuild an image, build a phase, cancel a build. */
  "builds:run": "operator",
  /** "Check now" on an image's health. */
  "health:check": "operator",
  /** Import a build plan. */
  "plan:import": "admin",
  /** Deployment host and per-image health targets. */
  "settings:write": "admin",
  /** Create and revoke API tokens. */
  "tokens:manage": "admin",
  /** Create users, change roles, delete users. */
  "users:manage": "admin",
  /** Read the audit log. */
  "audit:read": "admin",
} as const satisfies Record<string, Role>;
export type Permission = keyof typeof PERMISSIONS;

/** What each role adds, for the admin pages and the README. */
export const ROLE_SUMMARY: Record<Role, string> = {
  viewer: "reads every page and GET API",
  operator: "also rebuilds images, builds phases, cancels builds and runs health checks",
  admin: "also imports plans, changes settings (deployment host, health targets), manages API tokens and users, reads the audit log",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

function rank(role: Role): number {
  return ROLES.indexOf(role);
}

/** True when `actual` (a stored value, possibly unknown or missing) is at least `minimum`. Unknown values rank below viewer. */
export function hasRole(actual: string | null | undefined, minimum: Role): boolean {
  return isRole(actual) && rank(actual) >= rank(minimum);
}

export function can(role: string | null | undefined, permission: Permission): boolean {
  return hasRole(role, PERMISSIONS[permission]);
}

/** The permissions a role has, in table order. */
export function permissionsOf(role: string | null | undefined): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}

/** API token scopes and what they allow. Any valid, unrevoked token may read (GET). */
export const TOKEN_SCOPES = {
  "builds:write": "report finished builds (POST /api/builds)",
  "builds:run": "queue and cancel builds (POST /api/images/{name}/builds, /api/phases/{n}/builds, /api/builds/{id}/cancel)",
  "deployments:write": "report what the Pi runs (POST /api/deployments)",
  "metrics:read": "scrape GET /metrics (Prometheus); any token may read the JSON API",
} as const;
export type TokenScope = keyof typeof TOKEN_SCOPES;

/** The scope a token needs to start or cancel builds, and the one to report finished builds. */
export const RUN_SCOPE: TokenScope = "builds:run";
export const REPORT_SCOPE: TokenScope = "builds:write";
/** The scope a token on the Pi needs to report the containers it runs. */
export const DEPLOYMENT_REPORT_SCOPE: TokenScope = "deployments:write";

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === "string" && Object.hasOwn(TOKEN_SCOPES, value);
}
