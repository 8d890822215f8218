/** The largest build-commands document accepted, from a file or the browser (the real one is ~13 kB). */
export const MAX_PLAN_BYTES = 1_000_000;
