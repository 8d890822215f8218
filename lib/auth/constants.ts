// Account settings shared by the auth configuration, the user functions, the CLI and the proxy (which must not
// load better-auth itself just to know a cookie name).
export const AUTH_BASE_PATH = "/api/auth";
export const COOKIE_PREFIX = "lucid";
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
/** Sign-in attempts per client address and window, in seconds (better-auth's rate limiter, in memory). */
export const SIGN_IN_RATE_LIMIT = { window: 60, max: 5 } as const;
/** How long a session lasts without use, and how often its expiry is pushed back while it is used (seconds). */
export const SESSION_EXPIRES_IN_S = 7 * 24 * 3600;
export const SESSION_UPDATE_AGE_S = 24 * 3600;
