"use client";

import { useActionState } from "react";
import { checkBasesNow, rebuildStaleImages } from "@/lib/actions/supply-chain";
import { IDLE } from "@/lib/actions/result";
import { ActionFeedback } from "@/components/ui/action-feedback";
import { useCan } from "@/components/auth/viewer";
import { ConfirmSubmit } from "@/components/ui/confirm-submit";
import { BUTTON } from "@/components/ui/button";


// Shown to roles that may run builds (operator, admin); the server actions check the role again.

export function CheckBasesButton() {
  const allowed = useCan("builds:run");
  const [state, action, pending] = useActionState(checkBasesNow, IDLE);
  if (!allowed) return null;
  return (
    <form action={action}>
      <button type="submit" disabled={pending} className={BUTTON.quiet}>{pending ? "Checking…" : "Check now"}</button>
      <ActionFeedback state={state} />
    </form>
  );
}

export function RebuildStaleButton({ images }: { images: string[] }) {
  const allowed = useCan("builds:run");
  const [state, action, pending] = useActionState(rebuildStaleImages, IDLE);
  if (!allowed || images.length === 0) return null;
  const count = `${images.length} rebuild${images.length === 1 ? "" : "s"}`;
  return (
    <form action={action}>
      <ConfirmSubmit label={pending ? "Queuing…" : `Rebuild ${images.length}`} disabled={pending} className={BUTTON.primary} action={`Queue ${count}`}>
        <p>Each image is built again from what its bases point at now, in plan order:</p>
        <ul className="mt-2 max-h-48 list-disc overflow-auto pl-5 font-mono text-xs">
          {images.map((name) => <li key={name}>{name}</li>)}
        </ul>
      </ConfirmSubmit>
      <ActionFeedback state={state} />
    </form>
  );
}
