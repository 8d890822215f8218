import type { JsonValue } from "@prisma/client/runtime/client";

/** Reads a JSON column that holds a list of strings; anything else is a corrupt row, not data. */
export function jsonStrings(value: JsonValue | null): string[] {
  if (value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new Error(`expected a JSON list of strings, got ${JSON.stringify(value)}`);
  }
  return value as string[];
}
