import clsx from "clsx";
import type { ActionResult } from "@/lib/actions/result";
import { MESSAGE } from "@/components/ui/tone";

/** What a server action answered, under its button: the refusal as an alert, the result as a status. */
export function ActionFeedback({ state, size = "sm" }: { state: ActionResult; size?: "xs" | "sm" }) {
  const text = size === "xs" ? "mt-1 max-w-md text-xs" : "mt-2 max-w-2xl text-sm";
  if (state.error) return <p role="alert" className={clsx(text, "[overflow-wrap:anywhere] text-rose-700 dark:text-rose-400")}>{state.error}</p>;
  if (state.message) return <p role="status" className={clsx(text, size === "xs" ? "text-slate-600 dark:text-slate-300" : MESSAGE.muted)}>{state.message}</p>;
  return null;
}
