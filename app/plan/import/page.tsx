import type { Metadata } from "next";
import { ImportForm } from "@/components/plan/import-form";
import { requireRole } from "@/lib/auth/session";
import { PERMISSIONS } from "@/lib/auth/roles";

export const metadata: Metadata = { title: "Import plan" };

/** Imports change the plan: admins only (the form's server action checks again). */
export default async function ImportPlanPage() {
  await requireRole(PERMISSIONS["plan:import"]);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Import a build plan</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          A build-commands document such as <code className="font-mono">LUCID_35_IMAGES_BUILD_COMMANDS.md</code>: phases from its
          headings, images from each <code className="font-mono">docker buildx build</code> command. Preview first; nothing is written
          until you confirm, and a document with errors changes nothing. The same command-line import:{" "}
          <code className="font-mono">npx lucid plan import FILE --dry-run</code>.
        </p>
      </div>
      <ImportForm />
    </div>
  );
}
