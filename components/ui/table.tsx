import clsx from "clsx";

// Tables: one header look, one cell padding, one row divider.
export const TABLE = {
  head: "border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400",
  th: "px-4 py-2 font-medium",
  td: "px-4 py-2 align-top",
  body: "divide-y divide-slate-100 dark:divide-slate-800",
} as const;

/** A column: its heading, or the heading with extra classes (alignment, hiding on small screens, padding). */
export type Column = string | { label: string; className: string };

export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead className={TABLE.head}>
      <tr>
        {columns.map((column) => {
          const { label, className } = typeof column === "string" ? { label: column, className: "" } : column;
          return (
            <th key={label} scope="col" className={clsx(TABLE.th, className)}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
