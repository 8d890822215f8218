// Table parts shared by the admin pages (cards, buttons, inputs: components/ui).
export const th = "px-4 py-2 font-medium";
export const td = "px-4 py-2 align-top";
export const tableHead = "border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500 dark:border-slate-800 dark:text-slate-400";
export const rowDivider = "divide-y divide-slate-100 dark:divide-slate-800";
