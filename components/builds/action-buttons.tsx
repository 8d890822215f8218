"use client";

import { useActionState } from "react";
import clsx from "clsx";
import { buildPhase, cancelBuild, rebuildImage } from "@/lib/actions/builds";
import { IDLE } from "@/lib/actions/result";
import { ActionFeedback } from "@/components/ui/action-feedback";
import { useCan } from "@/components/auth/viewer";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";


const base =
  "inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-xs font-semibold shadow-sm transition disabled:cursor-wait disabled:opacity-60";


// Shown only to roles that may run builds (operator, admin); the server actions check the role again.

export function RebuildButton({ image, label = "Rebuild", tone = "primary" }: { image: string; label?: string; tone?: "primary" | "quiet" }) {
  const allowed = useCan("builds:run");
  const [state, action, pending] = useActionState(rebuildImage, IDLE);
  if (!allowed) return null;
  return (
    <form action={action}>
      <input type="hidden" name="image" value={image} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`${label} ${image}`}
        className={clsx(
          base,
          tone === "primary"
            ? "bg-sky-700 text-white hover:bg-sky-800"
            : "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200",
        )}
      >
        <span aria-hidden>↻</span> {pending ? "Queuing…" : label}
      </button>
      <ActionFeedback state={state} size="xs" />
    </form>
  );
}

/** Queues a phase's incomplete images, after saying which ones (`incomplete`: their names, as the overview sees them). */
export function BuildPhaseButton({ phase, phaseName, incomplete }: { phase: number; phaseName: string; incomplete: string[] }) {
  const allowed = useCan("builds:run");
  const [state, action, pending] = useActionState(buildPhase, IDLE);
  if (incomplete.length === 0 || !allowed) return null;
  const count = `${incomplete.length} build${incomplete.length === 1 ? "" : "s"}`;
  return (
    <form action={action} className="inline">
      <input type="hidden" name="phase" value={phase} />
      <ConfirmSubmit
        label={pending ? "Queuing…" : `Build ${incomplete.length} incomplete`}
        disabled={pending}
        className={clsx(base, "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-200")}
        action={`Queue ${count}`}
      >
        <p>{phaseName}: every image without a pushed build is built and pushed, one after another:</p>
        <ul className="mt-2 max-h-48 list-disc overflow-auto pl-5 font-mono text-xs">
          {incomplete.map((name) => <li key={name}>{name}</li>)}
        </ul>
      </ConfirmSubmit>
      <ActionFeedback state={state} size="xs" />
    </form>
  );
}

export function CancelButton({ id, image }: { id: number; image: string }) {
  const allowed = useCan("builds:run");
  const [state, action, pending] = useActionState(cancelBuild, IDLE);
  if (!allowed) return null;
  return (
    <form action={action}>
      <input type="hidden" name="id" value={id} />
      <ConfirmSubmit label={pending ? "Cancelling…" : "Cancel build"} disabled={pending} className={clsx(base, "bg-rose-700 text-white hover:bg-rose-800")} action={`Cancel build #${id}`} tone="danger">
        <p>
          The builder of <span className="font-mono">{image}</span> is stopped; nothing more is pushed. What it pushed already stays in the
          registry. The log so far is kept.
        </p>
      </ConfirmSubmit>
      <ActionFeedback state={state} size="xs" />
    </form>
  );
}
