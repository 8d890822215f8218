// JSON list columns of notification rules, read back leniently: anything not a list is "no rule" (everything).
export function jsonList(value: unknown): (string | number)[] {
  return Array.isArray(value) ? value.filter((v): v is string | number => typeof v === "string" || typeof v === "number") : [];
}
