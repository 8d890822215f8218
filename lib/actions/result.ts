// The one answer shape of the dashboard's server actions, shared with the forms that show it (so no "use server").
export type FieldErrors = Record<string, string>;

/**
 * `saved`: the action did what was asked, `message` says what; `invalid`: refused, `error` and `fieldErrors`
 * (beside each field) say why; `idle` before the first submit.
 */
export type ActionResult = { status: "idle" | "saved" | "invalid"; error: string | null; message: string | null; fieldErrors: FieldErrors };

export const IDLE: ActionResult = { status: "idle", error: null, message: null, fieldErrors: {} };

export const saved = (message: string | null): ActionResult => ({ status: "saved", error: null, message, fieldErrors: {} });

export const invalid = (error: string | null, fieldErrors: FieldErrors = {}): ActionResult => ({ status: "invalid", error, message: null, fieldErrors });
