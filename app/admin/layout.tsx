import { AdminTabs } from "@/app/admin/admin-tabs";
import { PERMISSIONS } from "@/lib/auth/roles";
import { requireRole } from "@/lib/auth/session";

// Each admin page checks the role itself too: a layout is not re-rendered on every navigation.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireRole(PERMISSIONS["users:manage"]);
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Administration</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Users and their roles, API tokens for scripts, where notifications go, and the audit log of every change.</p>
      </div>
      <AdminTabs />
      {children}
    </div>
  );
}
