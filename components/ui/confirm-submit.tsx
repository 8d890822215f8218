"use client";

import { useId, useRef } from "react";
import clsx from "clsx";

type Props = {
  /** The button that asks (it does not submit). */
  label: React.ReactNode;
  className: string;
  disabled?: boolean;
  /** What will happen, said in full: "Queue 8 builds". Also the confirming button's label. */
  action: string;
  /** The details under it: which images, what stops. */
  children: React.ReactNode;
  tone?: "primary" | "danger";
};

/**
 * A submit button for the form it sits in that asks first, in a native modal dialog (Escape and "Back" close it,
 * focus returns to the button). For actions that start or stop work for several people's builds.
 */
export function ConfirmSubmit({ label, className, disabled, action, children, tone = "primary" }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  return (
    <>
      <button type="button" disabled={disabled} className={className} onClick={() => dialog.current?.showModal()} aria-haspopup="dialog">
        {label}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-[28rem] max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-5 text-left text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <h2 id={titleId} className="text-base font-semibold">{action}?</h2>
        <div className="mt-2 text-sm text-slate-700 dark:text-slate-300">{children}</div>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium dark:border-slate-600">
            Back
          </button>
          <button
            type="submit"
            onClick={() => dialog.current?.close()}
            className={clsx("rounded-md px-3 py-1.5 text-sm font-semibold text-white", tone === "danger" ? "bg-rose-700 hover:bg-rose-800" : "bg-sky-700 hover:bg-sky-800")}
          >
            {action}
          </button>
        </div>
      </dialog>
    </>
  );
}
