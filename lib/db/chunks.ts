// Lists of values bound into one query. Prisma splits a plain `{ in: [...] }` itself, but not one inside a relation
// filter or next to a relation ordering: there SQLite's limit of bound values fails the query (P2029, "the query
// parameter limit supported by your database is exceeded") once the list grows past ~1,000. Lists that grow with
// the data are sent in chunks of this size instead.
const IN_LIST_CHUNK = 500;

/** `values` in consecutive slices of at most `size`. */
export function chunks<T>(values: readonly T[], size = IN_LIST_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
