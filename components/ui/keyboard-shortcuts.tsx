"use client";

import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";

// GitHub's keys, which the team already knows: "/" to search, "g" then a letter to go somewhere, "?" for this list.
const GO: Record<string, { href: string; label: string }> = {
  o: { href: "/", label: "Overview" },
  s: { href: "/status", label: "Status" },
};
const CHORD_MS = 1500;

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

/** Focuses the overview's search; on any other page, goes to the overview and focuses it there. */
function focusSearch(go: (href: string) => void) {
  const search = document.getElementById("search");
  if (search instanceof HTMLInputElement) {
    search.focus();
    search.select();
  } else {
    go("/#search");
  }
}

export function KeyboardShortcuts() {
  const router = useRouter();
  const help = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    let chordAt = 0;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        // Native dialogs close themselves; open menus (details disclosures) close here, focus back on their summary.
        for (const menu of Array.from(document.querySelectorAll<HTMLDetailsElement>("details[data-menu][open]"))) {
          menu.open = false;
          menu.querySelector("summary")?.focus();
        }
        return;
      }
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (chordAt && Date.now() - chordAt < CHORD_MS && GO[event.key]) {
        chordAt = 0;
        event.preventDefault();
        router.push(GO[event.key]!.href);
        return;
      }
      chordAt = event.key === "g" ? Date.now() : 0;
      if (event.key === "/") {
        event.preventDefault();
        focusSearch((href) => router.push(href));
      } else if (event.key === "?") {
        event.preventDefault();
        help.current?.showModal();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [router]);

  return (
    <dialog
      ref={help}
      aria-labelledby="shortcuts-title"
      className="m-auto w-80 max-w-[calc(100vw-2rem)] rounded-xl border border-slate-200 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      data-testid="shortcuts"
    >
      <h2 id="shortcuts-title" className="text-base font-semibold">Keyboard shortcuts</h2>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt><kbd className="kbd">/</kbd></dt><dd>Search images</dd>
        {Object.entries(GO).map(([key, { label }]) => (
          <div key={key} className="contents">
            <dt><kbd className="kbd">g</kbd> <kbd className="kbd">{key}</kbd></dt><dd>Go to {label}</dd>
          </div>
        ))}
        <dt><kbd className="kbd">?</kbd></dt><dd>This list</dd>
        <dt><kbd className="kbd">Esc</kbd></dt><dd>Close a dialog or menu</dd>
      </dl>
      <form method="dialog" className="mt-4 text-right">
        <button className="rounded-md border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-600">Close</button>
      </form>
    </dialog>
  );
}
